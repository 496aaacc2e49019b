using Jobwatch.DependencyInjection;

namespace Jobwatch.TestWorker;

/// <summary>The command line. Unknown options fail loudly so a typo in a test does not silently run with defaults.</summary>
public sealed record WorkerArgs
{
    /// <summary>The SQLite file (--db PATH); null when <see cref="Postgres"/> is set.</summary>
    public string? Db { get; init; }
    /// <summary>The PostgreSQL connection string (--storage postgres:CS); null for SQLite.</summary>
    public string? Postgres { get; init; }
    /// <summary>The PostgreSQL schema (--schema NAME); the store's default when absent.</summary>
    public string? Schema { get; init; }
    public string? LedgerDir { get; init; }
    public int Concurrency { get; init; } = 8;
    public int? LeaseMs { get; init; }
    public int? RescueMs { get; init; }
    public int PollMs { get; init; } = 100;
    public int? MaxStalled { get; init; }
    public int? ShutdownMs { get; init; }
    /// <summary>When set, the handler sleeps this long whatever the job's args say (a slow or fast worker over the same jobs).</summary>
    public int? SleepOverrideMs { get; init; }
    /// <summary>When set, the process SIGKILLs itself as its Nth handler starts: a crash that lands mid-stream however fast the machine is.</summary>
    public int? DieAfterStarts { get; init; }
    /// <summary>Enqueue mode: insert this many jobs, then exit.</summary>
    public int? Enqueue { get; init; }
    public int BatchSize { get; init; } = 250;
    public int JobSleepMs { get; init; }
    public int? JobSleepMaxMs { get; init; }

    /// <summary>Registers the store the command line names: <c>--db PATH</c> (SQLite) or <c>--storage postgres:CS [--schema NAME]</c>.</summary>
    public JobwatchBuilder UseStorage(JobwatchBuilder builder) => Postgres is { } cs
        ? builder.UsePostgres(cs, o => o.Schema = Schema ?? o.Schema)
        : builder.UseSqlite($"Data Source={Db}");

    public static WorkerArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--option value' at '{args[i]}'.");
            }
            values[args[i][2..]] = args[++i];
        }
        int? Int(string key) => values.Remove(key, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : null;
        string? Str(string key) => values.Remove(key, out var v) ? v : null;

        var db = Str("db");
        var storage = Str("storage");
        var schema = Str("schema");
        const string postgresPrefix = "postgres:";
        if ((db is null) == (storage is null))
        {
            throw new ArgumentException("Exactly one of --db PATH or --storage postgres:CONNECTION_STRING is required.");
        }
        if (storage is not null && !storage.StartsWith(postgresPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"--storage must be postgres:CONNECTION_STRING, not '{storage}'.");
        }
        if (schema is not null && storage is null)
        {
            throw new ArgumentException("--schema applies only to --storage postgres:….");
        }
        var parsed = new WorkerArgs
        {
            Db = db,
            Postgres = storage?[postgresPrefix.Length..],
            Schema = schema,
            LedgerDir = Str("ledger-dir"),
            Concurrency = Int("concurrency") ?? 8,
            LeaseMs = Int("lease-ms"),
            RescueMs = Int("rescue-ms"),
            PollMs = Int("poll-ms") ?? 100,
            MaxStalled = Int("max-stalled"),
            ShutdownMs = Int("shutdown-ms"),
            SleepOverrideMs = Int("sleep-override-ms"),
            DieAfterStarts = Int("die-after-starts"),
            Enqueue = Int("enqueue"),
            BatchSize = Int("batch-size") ?? 250,
            JobSleepMs = Int("job-sleep-ms") ?? 0,
            JobSleepMaxMs = Int("job-sleep-max-ms"),
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown options: {string.Join(", ", values.Keys.Select(k => "--" + k))}.");
        }
        if (parsed.Enqueue is null && parsed.LedgerDir is null)
        {
            throw new ArgumentException("--ledger-dir DIR is required unless --enqueue N is given.");
        }
        return parsed;
    }

    public void Apply(JobwatchOptions o)
    {
        o.DefaultConcurrency = Concurrency;
        o.PollInterval = TimeSpan.FromMilliseconds(PollMs);
        if (LeaseMs is { } lease) o.LeaseDuration = TimeSpan.FromMilliseconds(lease);
        if (RescueMs is { } rescue) o.RescueInterval = TimeSpan.FromMilliseconds(rescue);
        if (MaxStalled is { } stalled) o.MaxStalledCount = stalled;
        if (ShutdownMs is { } shutdown) o.ShutdownTimeout = TimeSpan.FromMilliseconds(shutdown);
    }
}
