using System.Net;
using Jobwatch.AspNetCore;
using Jobwatch.AspNetCore.Realtime;
using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Handlers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Benchmarks.Scenarios.Realtime;

/// <summary>How each benchmark job reports: <see cref="EventsPerSecond"/> progress events for <see cref="Seconds"/>, once released.</summary>
public sealed record PacedArgs(int EventsPerSecond, int Seconds);

/// <summary>Holds each round's jobs until the clients are subscribed, then lets them report at once; counts them out.</summary>
public sealed class ReleaseSignal
{
    private TaskCompletionSource<long> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;
    private int _finished;
    private long _lastFinish;

    public int Waiting => Volatile.Read(ref _waiting);
    public int Finished => Volatile.Read(ref _finished);
    public long ReleasedAt => _released.Task.IsCompletedSuccessfully ? _released.Task.Result : 0;
    public long LastFinishAt => Interlocked.Read(ref _lastFinish);

    public void Release() => _released.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>Starts a new round (call once the previous round's jobs have all finished).</summary>
    public void Reset()
    {
        _released = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting = 0;
        _finished = 0;
    }

    public async Task WaitAsync(CancellationToken ct)
    {
        var released = _released.Task;
        Interlocked.Increment(ref _waiting);
        await released.WaitAsync(ct);
    }

    public void MarkFinished()
    {
        Interlocked.Exchange(ref _lastFinish, System.Diagnostics.Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _finished);
    }
}

/// <summary>Reports progress at a steady pace: every few milliseconds it catches up with the schedule, one event per item.</summary>
public sealed class PacedProgressHandler(ReleaseSignal release) : IJobHandler<PacedArgs>
{
    public const string Name = "bench_progress";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    public async Task<JobResult> HandleAsync(PacedArgs args, JobContext context, CancellationToken cancellationToken)
    {
        var total = (long)args.EventsPerSecond * args.Seconds;
        context.SetTotal(total);
        await release.WaitAsync(cancellationToken);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        long reported = 0;
        while (reported < total)
        {
            var due = Math.Min(total, (long)(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds * args.EventsPerSecond));
            for (; reported < due; reported++)
            {
                context.ItemSucceeded();
            }
            await Task.Delay(Tick, cancellationToken);
        }
        release.MarkFinished();
        return JobResult.Success();
    }
}

/// <summary>The measured app, mapped as a user's app would be: engine, API and hub on real Kestrel (loopback, no tokens).</summary>
public sealed class RealtimeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RealtimeHost(WebApplication app, string queue)
    {
        _app = app;
        Queue = queue;
    }

    public string Queue { get; }
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");
    public IJobClient Client => _app.Services.GetRequiredService<IJobClient>();
    public ReleaseSignal Release => _app.Services.GetRequiredService<ReleaseSignal>();
    public JobwatchRealtimeStatistics Realtime => _app.Services.GetRequiredService<JobwatchRealtimeStatistics>();

    public static async Task<RealtimeHost> StartAsync(BenchOptions o, StorageTarget storage)
    {
        var queue = $"rt-{Guid.NewGuid():N}"[..11];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<ReleaseSignal>();
        var jobwatch = builder.Services.AddJobwatch(w => w.Queues[queue] = new QueueOptions { Concurrency = o.Jobs });
        storage.Register(jobwatch);
        jobwatch.AddHandler<PacedProgressHandler, PacedArgs>(PacedProgressHandler.Name, h => { h.Queue = queue; h.MaxAttempts = 1; });
        builder.Services.AddJobwatchApi();
        var app = builder.Build();
        app.MapJobwatch();
        await app.StartAsync();
        var host = new RealtimeHost(app, queue);
        host.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
