using Jobwatch.Benchmarks.Diagnostics;
using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Benchmarks;

/// <summary>
/// A host with the real engine, client and monitor over the chosen store, one no-op handler on its own
/// queue, and console logging at Warning (to stderr, so stdout stays one JSON line).
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    /// <summary>A queue no worker serves, for jobs that are only enqueued (enqueue_per_sec).</summary>
    public const string ParkedQueue = "bench-parked";

    private readonly IHost _host;
    private bool _started;
    private bool _disposed;

    private BenchHost(IHost host, string queue, JobwatchOptions effective, StoreTimings? timings, BenchObservers observers)
    {
        _host = host;
        Queue = queue;
        Effective = effective;
        Timings = timings;
        Observers = observers;
    }

    /// <summary>This run's queue: unique, so a reused database's older jobs never count.</summary>
    public string Queue { get; }
    /// <summary>The engine settings in force (defaults unless a flag changed them), for the results.</summary>
    public JobwatchOptions Effective { get; }
    /// <summary>Per-method store timings with <c>--trace-store</c>; null otherwise.</summary>
    public StoreTimings? Timings { get; }
    /// <summary>The metrics and trace listeners <c>--metrics</c> / <c>--traces</c> attached (none by default).</summary>
    public BenchObservers Observers { get; }
    public IJobClient Client => _host.Services.GetRequiredService<IJobClient>();
    public IJobMonitor Monitor => _host.Services.GetRequiredService<IJobMonitor>();
    /// <summary>The store as the client sees it (with the timing decorator when --trace-store is on).</summary>
    public IJobStore Store => _host.Services.GetRequiredService<IJobStore>();

    public static async Task<BenchHost> CreateAsync(BenchOptions options, StorageTarget storage, BenchProbe probe)
    {
        var queue = $"bench-{Guid.NewGuid():N}"[..14];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(probe);

        var jobwatch = builder.Services.AddJobwatch(o => Configure(o, options, queue));
        storage.Register(jobwatch);
        jobwatch.AddHandler<NoopHandler, BenchArgs>(NoopHandler.Name, h => h.Queue = queue);
        var timings = options.TraceStore ? WrapStore(builder.Services) : null;

        var host = builder.Build();
        // Before anything runs, so every measurement and span of the run is observed.
        var observers = new BenchObservers(options, host.Services);
        // The client needs the schema before the engine (which would migrate) is started.
        await host.Services.GetRequiredService<IJobStore>().MigrateAsync();
        var effective = new JobwatchOptions();
        Configure(effective, options, queue);
        return new BenchHost(host, queue, effective, timings, observers);
    }

    /// <summary>Replaces the registered store with a timing decorator around it.</summary>
    private static StoreTimings WrapStore(IServiceCollection services)
    {
        var timings = new StoreTimings();
        var registered = services.Last(d => d.ServiceType == typeof(IJobStore));
        services.Remove(registered);
        services.AddSingleton<IJobStore>(sp => new TimedJobStore(
            registered.ImplementationInstance as IJobStore
            ?? registered.ImplementationFactory?.Invoke(sp) as IJobStore
            ?? (IJobStore)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
            timings));
        return timings;
    }

    private static void Configure(JobwatchOptions o, BenchOptions options, string queue)
    {
        o.Queues[queue] = new QueueOptions { Concurrency = options.Workers };
        if (options.FetchBatch is { } fetch) o.FetchBatchSize = fetch;
        if (options.OutcomeBatch is { } outcome) o.OutcomeBatchSize = outcome;
        if (options.PollMs is { } poll) o.PollInterval = TimeSpan.FromMilliseconds(poll);
    }

    public async Task StartAsync()
    {
        await _host.StartAsync();
        _started = true;
    }

    /// <summary>Committed counts of this run's queue, as the monitoring surfaces see them.</summary>
    public async Task<QueueCounts> CountsAsync()
    {
        var queues = await Monitor.GetQueuesAsync();
        return queues.FirstOrDefault(q => q.Queue == Queue)?.Counts ?? new QueueCounts { Queue = Queue };
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_started)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(cts.Token);
        }
        if (_host is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
        Observers.Dispose();
    }
}
