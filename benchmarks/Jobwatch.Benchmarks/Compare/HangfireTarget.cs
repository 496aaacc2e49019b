using System.Diagnostics;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Hangfire.Storage;

namespace Jobwatch.Benchmarks.Compare;

/// <summary>
/// Hangfire.PostgreSql on the server of <c>--storage postgres:…</c>, in a schema of its own
/// (<c>hangfire_bench_…</c>, dropped afterwards), configured as Hangfire recommends for 1.8.
/// </summary>
public sealed class HangfireTarget : IDisposable
{
    public const string Queue = "bench";
    public const string ParkedQueue = "bench_parked";
    public const string WarmupQueue = "bench_warmup";

    private static readonly Lock ConfigureLock = new();
    private static bool _configured;
    private readonly PostgresTarget _server;

    private HangfireTarget(PostgresTarget server, string schema, PostgreSqlStorageOptions options, JobStorage storage)
    {
        _server = server;
        Schema = schema;
        Options = options;
        Storage = storage;
        Client = new BackgroundJobClient(storage);
        Monitoring = storage.GetMonitoringApi();
    }

    public string Schema { get; }
    public PostgreSqlStorageOptions Options { get; }
    public JobStorage Storage { get; }
    public BackgroundJobClient Client { get; }
    public IMonitoringApi Monitoring { get; }

    public static HangfireTarget Create(PostgresTarget server, BenchOptions o)
    {
        ConfigureGlobals();
        var schema = PostgresTarget.NewSchemaName("hangfire_bench_");
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = schema,
            PrepareSchemaIfNecessary = true,
            // The default is 15 s, which only matters when a queue runs dry; a short interval is the fair setting.
            QueuePollInterval = TimeSpan.FromMilliseconds(o.HangfirePollMs),
        };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(server.ConnectionString, options), options);
        return new HangfireTarget(server, schema, options, storage);
    }

    /// <summary>Settings every Hangfire result carries, so the line says what was measured.</summary>
    public void Describe(JsonObject json)
    {
        json["hangfire_version"] = typeof(BackgroundJobServer).Assembly.GetName().Version?.ToString(3);
        json["hangfire_postgresql_version"] = typeof(PostgreSqlStorage).Assembly.GetName().Version?.ToString(3);
        json["queue_poll_ms"] = Options.QueuePollInterval.TotalMilliseconds;
        json["long_polling"] = Options.EnableLongPolling;
        json["pg_schema"] = Schema;
    }

    /// <summary>A server on <paramref name="queue"/> with <paramref name="workers"/> workers; disposing it stops it.</summary>
    public BackgroundJobServer StartServer(string queue, int workers) => new(new BackgroundJobServerOptions
    {
        WorkerCount = workers,
        Queues = [queue],
        ServerName = "jobwatch-bench-" + Guid.NewGuid().ToString("N")[..8],
    }, Storage);

    /// <summary>One job, as an application enqueues it: one synchronous call (Hangfire has no async or batch client API).</summary>
    public void Enqueue(int i, string queue) => Client.Create(Job.FromExpression(() => HangfireNoop.Run(i)), new EnqueuedState(queue));

    /// <summary>One job to run <paramref name="delay"/> from now on <paramref name="queue"/>, as <c>BackgroundJob.Schedule</c> creates it.</summary>
    public void Schedule(int i, string queue, TimeSpan delay) => Client.Create(Job.FromExpression(() => HangfireNoop.Run(i), queue), new ScheduledState(delay));

    /// <summary>Runs <paramref name="jobs"/> jobs through a short-lived server, so JIT and the connection pool are warm before measuring.</summary>
    public async Task WarmUpAsync(int jobs, int workers)
    {
        if (jobs == 0)
        {
            return;
        }
        HangfireNoop.Probe = new BenchProbe(0);
        var succeeded = Monitoring.SucceededListCount();
        for (var i = 0; i < jobs; i++)
        {
            Enqueue(-1, WarmupQueue);
        }
        using var server = StartServer(WarmupQueue, workers);
        var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        while (Monitoring.SucceededListCount() < succeeded + jobs && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50);
        }
    }

    private static void ConfigureGlobals()
    {
        lock (ConfigureLock)
        {
            if (_configured)
            {
                return;
            }
            GlobalConfiguration.Configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(new StderrLogProvider());
            _configured = true;
        }
    }

    public void Dispose()
    {
        try
        {
            _server.DropSchemaAsync(Schema).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine($"could not drop schema {Schema}: {ex.Message}");
        }
    }
}

/// <summary>The no-op job: records its start in the run's probe, like the Jobwatch handler.</summary>
public static class HangfireNoop
{
    private static BenchProbe _probe = new(0);

    public static BenchProbe Probe
    {
        get => Volatile.Read(ref _probe);
        set => Volatile.Write(ref _probe, value);
    }

    public static void Run(int i) => Probe.Record(i, Stopwatch.GetTimestamp());
}

/// <summary>Hangfire's warnings and errors go to stderr, like the Jobwatch host's logs: stdout stays JSON lines.</summary>
internal sealed class StderrLogProvider : Hangfire.Logging.ILogProvider
{
    public Hangfire.Logging.ILog GetLogger(string name) => new StderrLog(name);

    private sealed class StderrLog(string name) : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (logLevel < Hangfire.Logging.LogLevel.Warn)
            {
                return false;
            }
            if (messageFunc is not null)
            {
                Console.Error.WriteLine($"hangfire {logLevel} {name}: {messageFunc()}{(exception is null ? "" : " " + exception.GetBaseException().Message)}");
            }
            return true;
        }
    }
}
