using System.Globalization;

namespace Jobwatch.Benchmarks;

/// <summary>A command line that cannot be run; Program prints the message and the usage and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Everything a scenario needs from the command line. Parsed by hand: a handful of flags does not justify a parser package.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        usage: Jobwatch.Benchmarks <scenario> [options]

        scenarios:
          throughput   enqueue one by one, enqueue in batches, then drain with no-op handlers
          latency      enqueue at a steady rate with the engine running; time from enqueue to handler start
          api          fill storage with finished jobs, then time the monitoring endpoints over real HTTP
          realtime     hub clients subscribed while jobs report progress; event-to-client latency
          metrics      jobs through many queues and status codes, then time GET /metrics (Prometheus scrape)

        options (all scenarios):
          --storage SPEC        sqlite (fresh temp file, deleted afterwards) | sqlite:PATH   [sqlite]
                                | postgres:<connection string> (fresh schema, dropped afterwards)
          --workers N           concurrency of the benchmark queue                           [8]
          --fetch-batch N       JobwatchOptions.FetchBatchSize                               [engine default]
          --outcome-batch N     JobwatchOptions.OutcomeBatchSize                             [engine default]
          --poll-ms N           JobwatchOptions.PollInterval in milliseconds                 [engine default]
          --timeout-seconds N   give up waiting for jobs after this long                     [120]
          --out FILE            also append the JSON line to FILE (relative: benchmarks/results/FILE)
          --trace-store         time every store call and add per-method totals to the result
          --warmup-jobs N       jobs run through a throwaway host first, so JIT is not measured [2000]
          --compare hangfire    also run the same workload on Hangfire.PostgreSql (needs --storage postgres:…)
                                against the same server, in its own schema; prints a second JSON line
          --hangfire-poll-ms N  Hangfire.PostgreSql QueuePollInterval for --compare             [50]

        throughput and latency:
          --metrics             listen to every Jobwatch instrument as the /metrics exporter does (cost of metrics on)
          --traces              sample every Jobwatch span with an ActivityListener (cost of tracing on)

        throughput:
          --jobs N              jobs drained (and enqueued in batches)                       [20000]
          --enqueue-jobs N      jobs enqueued one by one for enqueue_per_sec                 [= --jobs]
          --enqueue-callers N   concurrent callers of the one-by-one phase, each awaiting its calls [1]
          --batch-size N        jobs per EnqueueManyAsync call                               [1000]

        latency:
          --rate N              jobs enqueued per second                                     [200]
          --seconds N           how long to send                                             [10]
          --delay-ms N          enqueue each job N ms ahead; latency counts from when it is due [0]

        api:
          --jobs N              jobs in storage (about 0.3% left waiting, delayed or active)   [1000000]
          --requests N          timed requests per endpoint, sent one after another           [200]
          --warmup-requests N   untimed requests per endpoint first                           [30]
          --reuse               keep the filled store and use it again next time: needs sqlite:PATH, or
                                postgres:… (schema jobwatch_bench_api_<jobs>, kept)

        realtime:
          --clients N           hub clients (WebSockets) subscribed                           [100]
          --jobs N              jobs reporting progress at once                               [50]
          --rate N              progress events per second, all jobs together                 [5000]
          --seconds N           how long the jobs report                                      [10]
          --subscribe MODE      queue: every client follows every job | job: one job each     [queue]
          --warmup-seconds N    untimed round first, until the JIT has tiered up the hot paths [10]

        metrics:
          --queues N            queues, one job name each; every queue sees all 20 status codes [100]
          --jobs N              jobs run before measuring (≥ 20 × queues to use every code)    [4000]
          --requests N          timed scrapes, one after another                              [200]
          --warmup-requests N   untimed scrapes first                                         [100]
        """;

    public required string Scenario { get; init; }
    public string Storage { get; init; } = "sqlite";
    public int Workers { get; init; } = 8;
    public int? FetchBatch { get; init; }
    public int? OutcomeBatch { get; init; }
    public int? PollMs { get; init; }
    public int TimeoutSeconds { get; init; } = 120;
    public string? Out { get; init; }
    public bool TraceStore { get; init; }
    public int WarmupJobs { get; init; } = 2_000;
    /// <summary>The peer to run the same workload on (only "hangfire"), or null.</summary>
    public string? Compare { get; init; }
    public int HangfirePollMs { get; init; } = 50;

    public int Jobs { get; init; } = 20_000;
    public int? EnqueueJobs { get; init; }
    public int BatchSize { get; init; } = 1_000;
    public int EnqueueCallers { get; init; } = 1;

    public int Rate { get; init; } = 200;
    public int Seconds { get; init; } = 10;
    /// <summary>latency: each job is enqueued this far in the future and measured from when it fell due; 0 enqueues jobs to run at once.</summary>
    public int DelayMs { get; init; }

    public int Requests { get; init; } = 200;
    public int WarmupRequests { get; init; } = 30;
    public bool Reuse { get; init; }

    public int Clients { get; init; } = 100;
    public int WarmupSeconds { get; init; } = 10;
    public string Subscribe { get; init; } = "queue";

    /// <summary>throughput/latency: attach the Prometheus exporter's listener to the engine's instruments.</summary>
    public bool Metrics { get; init; }
    /// <summary>throughput/latency: sample every Jobwatch span.</summary>
    public bool Traces { get; init; }
    public int Queues { get; init; } = 100;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new UsageException("Name a scenario first: throughput, latency, api, realtime or metrics.");
        }
        var scenario = args[0];
        if (scenario is not ("throughput" or "latency" or "api" or "realtime" or "metrics"))
        {
            throw new UsageException($"Unknown scenario '{scenario}': use throughput, latency, api, realtime or metrics.");
        }
        var o = new BenchOptions
        {
            Scenario = scenario,
            Jobs = scenario switch { "api" => 1_000_000, "realtime" => 50, "metrics" => 4_000, _ => 20_000 },
            Rate = scenario == "realtime" ? 5_000 : 200,
            // A scrape is one call of many methods: it takes ~100 before they are all compiled at full tier.
            WarmupRequests = scenario == "metrics" ? 100 : 30,
        };
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{arg}': options look like --name value.");
            }
            if (arg == "--trace-store")
            {
                o = o with { TraceStore = true };
                continue;
            }
            if (arg is "--metrics" or "--traces")
            {
                o = o.Scenario is "throughput" or "latency"
                    ? arg == "--metrics" ? o with { Metrics = true } : o with { Traces = true }
                    : throw new UsageException($"{arg} applies to the throughput and latency scenarios only.");
                continue;
            }
            if (arg == "--reuse")
            {
                o = o.Scenario == "api" ? o with { Reuse = true } : throw new UsageException("--reuse applies to the api scenario only.");
                continue;
            }
            string name;
            string value;
            var eq = arg.IndexOf('=');
            if (eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }
            else
            {
                name = arg;
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"Option {name} needs a value.");
                }
                value = args[++i];
            }
            o = Apply(o, name, value);
        }
        return o;
    }

    private static BenchOptions Apply(BenchOptions o, string name, string value) => name switch
    {
        "--storage" => o with { Storage = value },
        "--workers" => o with { Workers = Int(name, value, 1) },
        "--fetch-batch" => o with { FetchBatch = Int(name, value, 1) },
        "--outcome-batch" => o with { OutcomeBatch = Int(name, value, 1) },
        "--poll-ms" => o with { PollMs = Int(name, value, 1) },
        "--timeout-seconds" => o with { TimeoutSeconds = Int(name, value, 1) },
        "--out" => o with { Out = value },
        "--warmup-jobs" => o with { WarmupJobs = Int(name, value, 0) },
        "--compare" when o.Scenario is "api" or "realtime" or "metrics" => throw new UsageException($"--compare does not apply to the {o.Scenario} scenario."),
        "--compare" when value == "hangfire" => o with { Compare = value },
        "--compare" => throw new UsageException($"--compare supports only 'hangfire' (got '{value}')."),
        "--hangfire-poll-ms" => o with { HangfirePollMs = Int(name, value, 1) },
        "--jobs" when o.Scenario is "throughput" or "api" or "realtime" or "metrics" => o with { Jobs = Int(name, value, 1) },
        "--queues" when o.Scenario == "metrics" => o with { Queues = Int(name, value, 1) },
        "--enqueue-jobs" when o.Scenario == "throughput" => o with { EnqueueJobs = Int(name, value, 0) },
        "--batch-size" when o.Scenario == "throughput" => o with { BatchSize = Int(name, value, 1) },
        "--enqueue-callers" when o.Scenario == "throughput" => o with { EnqueueCallers = Int(name, value, 1) },
        "--rate" when o.Scenario is "latency" or "realtime" => o with { Rate = Int(name, value, 1) },
        "--seconds" when o.Scenario is "latency" or "realtime" => o with { Seconds = Int(name, value, 1) },
        "--delay-ms" when o.Scenario == "latency" => o with { DelayMs = Int(name, value, 0) },
        "--clients" when o.Scenario == "realtime" => o with { Clients = Int(name, value, 1) },
        "--warmup-seconds" when o.Scenario == "realtime" => o with { WarmupSeconds = Int(name, value, 0) },
        "--subscribe" when o.Scenario == "realtime" => value is "queue" or "job" ? o with { Subscribe = value } : throw new UsageException($"--subscribe takes queue or job (got '{value}')."),
        "--requests" when o.Scenario is "api" or "metrics" => o with { Requests = Int(name, value, 1) },
        "--warmup-requests" when o.Scenario is "api" or "metrics" => o with { WarmupRequests = Int(name, value, 0) },
        "--jobs" or "--enqueue-jobs" or "--enqueue-callers" or "--batch-size" or "--rate" or "--seconds" or "--delay-ms" or "--requests" or "--warmup-requests" or "--clients" or "--warmup-seconds" or "--subscribe" or "--queues" =>
            throw new UsageException($"Option {name} does not apply to the {o.Scenario} scenario."),
        _ => throw new UsageException($"Unknown option '{name}'."),
    };

    private static int Int(string name, string value, int min)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min)
        {
            throw new UsageException($"Option {name} needs a whole number ≥ {min} (got '{value}').");
        }
        return n;
    }
}
