using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Engine;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Runs;
using Jobwatch.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Engine.Tests.Infrastructure;

/// <summary>What a test wants from its engine: options, handlers (as scripts) and builder calls.</summary>
public sealed class EngineSetup
{
    internal List<Action<JobwatchOptions>> Options { get; } = [];
    internal List<Action<JobwatchBuilder>> BuilderCalls { get; } = [];
    internal Dictionary<string, Script> Scripts { get; } = new(StringComparer.Ordinal);

    public EngineSetup Configure(Action<JobwatchOptions> configure)
    {
        Options.Add(configure);
        return this;
    }

    public EngineSetup Handle(string name, Script script, Action<JobHandlerOptions>? options = null)
    {
        Scripts[name] = script;
        BuilderCalls.Add(b => b.AddHandler<ScriptedHandler, TestArgs>(name, options));
        return this;
    }

    public EngineSetup With(Action<JobwatchBuilder> call)
    {
        BuilderCalls.Add(call);
        return this;
    }
}

/// <summary>
/// A real host running the real engine on its own SQLite file. Options are short (2 s leases, 100 ms
/// polls and flushes, 50 ms backoff) so a test sees rescues and retries quickly. Disposing stops the
/// host and deletes the file.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _started;
    private bool _stopped;

    private EngineHost(IHost host, string dbPath)
    {
        _host = host;
        DbPath = dbPath;
    }

    public string DbPath { get; }
    public IServiceProvider Services => _host.Services;
    public IJobClient Client => Services.GetRequiredService<IJobClient>();
    public IJobMonitor Monitor => Services.GetRequiredService<IJobMonitor>();
    public IRunReporter Runs => Services.GetRequiredService<IRunReporter>();
    public IJobStore Store => Services.GetRequiredService<IJobStore>();
    public RunningJobs Running => Services.GetRequiredService<RunningJobs>();
    public ProgressFlusher Flusher => Services.GetRequiredService<ProgressFlusher>();
    public string WorkerId => Services.GetRequiredService<WorkerIdentity>().Id;

    /// <param name="dbPath">Another host's <see cref="DbPath"/> to share its storage (two nodes on one file); a fresh file when null.</param>
    public static async Task<EngineHost> StartAsync(ITestOutputHelper? output, Action<EngineSetup> setup, bool start = true, string? dbPath = null)
    {
        var host = Create(output, setup, dbPath);
        if (start)
        {
            await host.StartAsync();
        }
        return host;
    }

    private static EngineHost Create(ITestOutputHelper? output, Action<EngineSetup> configure, string? sharedDbPath)
    {
        var setup = new EngineSetup();
        configure(setup);
        var folder = Path.Combine(Path.GetTempPath(), "jobwatch-engine-tests");
        Directory.CreateDirectory(folder);
        var dbPath = sharedDbPath ?? Path.Combine(folder, $"{Guid.NewGuid():N}.db");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
        var scripts = new Scripts();
        foreach (var (name, script) in setup.Scripts)
        {
            scripts.Set(name, script);
        }
        builder.Services.AddSingleton(scripts);
        var jobwatch = builder.Services.AddJobwatch(o =>
        {
            o.LeaseDuration = TimeSpan.FromSeconds(2);
            o.RescueInterval = TimeSpan.FromMilliseconds(200);
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.ProgressFlushInterval = TimeSpan.FromMilliseconds(100);
            o.Backoff.Base = TimeSpan.FromMilliseconds(50);
            o.Backoff.Max = TimeSpan.FromSeconds(1);
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
            o.DefaultConcurrency = 4;
            foreach (var c in setup.Options)
            {
                c(o);
            }
        }).UseSqlite($"Data Source={dbPath}");
        foreach (var call in setup.BuilderCalls)
        {
            call(jobwatch);
        }
        return new EngineHost(builder.Build(), dbPath);
    }

    public async Task StartAsync()
    {
        if (_started)
        {
            return;
        }
        _started = true;
        using var cts = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _host.StartAsync(cts.Token);
    }

    /// <summary>Stops the engine (graceful shutdown). Services stay readable until dispose.</summary>
    public async Task StopAsync()
    {
        if (!_started || _stopped)
        {
            return;
        }
        _stopped = true;
        await Eventually.WithinAsync(_host.StopAsync(), "the host to stop");
    }

    public Task<JobRecord?> GetAsync(long id) => Store.JobGetAsync(id);

    public async Task<JobRecord> GetRequiredAsync(long id) =>
        await GetAsync(id) ?? throw new InvalidOperationException($"Job {id} is not in storage.");

    public Task<JobRecord?> WaitForStateAsync(long id, JobState state, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => GetAsync(id), j => j?.State == state, $"job {id} to be {state.ToName()}", timeout);

    public async Task<IReadOnlyList<string>> TimelineKindsAsync(long id) =>
        (await Store.JobTimelineListAsync(id)).Select(t => t.Kind).ToArray();

    public Task<long> EnqueueAsync(string name, TestArgs? args = null, EnqueueOptions? options = null) =>
        Client.EnqueueAsync(name, args ?? new TestArgs(), options);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            await ((IAsyncDisposable)_host).DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                try
                {
                    File.Delete(DbPath + suffix);
                }
                catch (IOException)
                {
                    // Best effort: the temp folder is cleaned by the OS if a handle outlived the host.
                }
            }
        }
    }
}
