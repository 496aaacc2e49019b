using System.Globalization;
using System.Text;
using Jobwatch.Model;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// Generates the fill's jobs in id order, deterministically (a fixed seed): job i is created at
/// i/N of the way through the last 30 days, so ids grow with time as they do in a real store. The
/// newest ~0.9% are where the unfinished jobs are: about a third of those (0.3% of all) still
/// waiting, delayed or active.
/// </summary>
public sealed class FillGenerator
{
    public const int Seed = 20_260_215;
    public static readonly TimeSpan Span = TimeSpan.FromDays(30);
    private const double CancelRate = 0.005;
    private const int MaxActive = 64;

    private static readonly string[] Workers = ["node-1:4211:7c1e9a", "node-2:3988:b24f10", "node-3:5120:e90d33"];
    private static readonly string[] Sources = ["api", "api", "api", "scheduler", "scheduler", "webhook:stripe", "cli:ops", "backfill"];
    private static readonly string[] Tenants = ["acme-corp", "globex", "initech", "umbrella", "hooli", "vandelay", "stark-industries", "wayne-enterprises"];
    private static readonly string[] Regions = ["eu-west-1", "us-east-1", "us-west-2", "ap-southeast-2"];
    private static readonly string[] Cancellers = ["ops-token (operator)", "admin-token (admin)"];

    private readonly Random _random = new(Seed);
    private readonly double[] _cumulative;
    private readonly double[] _failureCumulative;
    private readonly int _total;
    private readonly int _unfinishedFrom;
    private readonly DateTimeOffset _start;
    private readonly DateTimeOffset _now;
    private int _active;

    public FillGenerator(int total, DateTimeOffset now)
    {
        _total = total;
        _now = now;
        // The newest jobs are created up to 2 minutes ago; the oldest 30 days before that.
        _start = now - Span - TimeSpan.FromMinutes(2);
        _unfinishedFrom = total - (int)Math.Ceiling(total * 0.009);
        _cumulative = Cumulative(FillMix.Names.Select(n => n.Weight));
        _failureCumulative = Cumulative(FillMix.Failures.Select(f => f.Weight));
    }

    public FilledJob Next(int i)
    {
        var name = FillMix.Names[Pick(_cumulative)];
        var created = _start + Span * ((i + _random.NextDouble()) / _total);
        var payload = Payload(name, i);
        var insert = new JobInsertParams
        {
            Queue = name.Queue,
            Name = name.Name,
            Type = name.Type,
            Payload = payload,
            Metadata = Metadata(name),
            Priority = name.Priority,
            MaxAttempts = name.MaxAttempts,
            RunAt = created,
            CreatedBy = Sources[_random.Next(Sources.Length)],
            TimeoutMs = name.Type is "report" or "tick_sync" ? 600_000 : null,
            TraceParent = _random.Next(2) == 0 ? $"00-{Hex(32)}-{Hex(16)}-01" : null,
        };
        if (i >= _unfinishedFrom && _random.Next(3) == 0)
        {
            return Unfinished(insert, name, created);
        }
        return Finished(insert, name, created);
    }

    private FilledJob Unfinished(JobInsertParams insert, FillName name, DateTimeOffset created)
    {
        var roll = _random.NextDouble();
        if (roll < 0.03 && _active < MaxActive)
        {
            _active++;
            var started = Min(created + Wait(), _now - TimeSpan.FromSeconds(1));
            long? total = name.CountsItems ? _random.Next(100, 5000) : null;
            var done = total is { } t ? (long)(t * _random.NextDouble()) : 0;
            var worker = Workers[_random.Next(Workers.Length)];
            return new FilledJob
            {
                Insert = insert, State = JobState.Active, CreatedAt = created, RunAt = created, StartedAt = started,
                // Far ahead: the fixture has no worker renewing leases, and the rescuer must not requeue these between runs.
                LeaseUntil = _now + TimeSpan.FromDays(365), WorkerId = worker, RanOn = worker, Attempt = 1,
                TotalItems = total, ItemsSucceeded = done, ProgressAt = total is null ? null : _now - TimeSpan.FromSeconds(1),
                UpdatedBy = total is null ? null : "worker:" + name.Queue,
            };
        }
        if (roll < 0.25)
        {
            // A retry waiting out its backoff: one attempt spent, its error and code kept.
            var failure = FillMix.Failures[_random.Next(3)];
            var started = created + Wait();
            return new FilledJob
            {
                Insert = insert, State = JobState.Delayed, CreatedAt = created, RunAt = _now + TimeSpan.FromSeconds(_random.Next(60, 3600)),
                StartedAt = started, Attempt = 1, RanOn = Workers[_random.Next(Workers.Length)],
                EarlierStarts = [started], StatusCode = failure.Code, StatusLabel = failure.Label, LastError = Error(failure),
                LastErrorStack = failure.Exception.Length == 0 ? null : Stack(failure),
            };
        }
        if (roll < 0.35)
        {
            // Scheduled for later: enqueued delayed (run_at ahead of the insert's Now), never started.
            var runAt = _now + TimeSpan.FromMinutes(_random.Next(5, 2 * 24 * 60));
            return new FilledJob { Insert = insert with { RunAt = runAt }, State = JobState.Delayed, CreatedAt = created, RunAt = runAt };
        }
        return new FilledJob { Insert = insert, State = JobState.Waiting, CreatedAt = created, RunAt = created };
    }

    private FilledJob Finished(JobInsertParams insert, FillName name, DateTimeOffset created)
    {
        var worker = Workers[_random.Next(Workers.Length)];
        if (_random.NextDouble() < CancelRate)
        {
            // Half were cancelled before a worker took them, half while running (the worker is kept on the row).
            var running = _random.Next(2) == 0;
            var startedAt = running ? created + Wait() : (DateTimeOffset?)null;
            return new FilledJob
            {
                Insert = insert, State = JobState.Cancelled, CreatedAt = created, RunAt = created, StartedAt = startedAt,
                FinishedAt = (startedAt ?? created) + TimeSpan.FromSeconds(1 + _random.Next(600)),
                WorkerId = running ? worker : null, RanOn = worker, Attempt = running ? 1 : 0,
                CancelledBy = "by " + Cancellers[_random.Next(Cancellers.Length)],
            };
        }
        var failed = _random.NextDouble() < name.FailureRate;
        var failure = failed ? FillMix.Failures[Pick(_failureCumulative)] : null;
        // Retryable failures used every attempt; a few successes needed a retry first.
        var attempts = failure is null ? (_random.NextDouble() < 0.04 ? 2 : 1) : failure.Retryable ? name.MaxAttempts : 1;
        var earlier = new List<DateTimeOffset>();
        var started = created + Wait();
        for (var a = 1; a < attempts; a++)
        {
            earlier.Add(started);
            started += TimeSpan.FromSeconds(Math.Pow(2, a) + _random.NextDouble());
        }
        var duration = TimeSpan.FromSeconds(Math.Min(3600, name.MedianSeconds * Math.Exp(0.8 * Gaussian())));
        var finished = started + duration;
        if (finished >= _now)
        {
            // One of the newest jobs: it finished a moment ago rather than in the future.
            finished = _now - TimeSpan.FromSeconds(1 + _random.Next(30));
            started = Min(started, finished - TimeSpan.FromMilliseconds(10));
            duration = finished - started;
        }
        long? total = name.CountsItems ? _random.Next(10, 5000) : null;
        long itemsFailed = total is { } t && _random.Next(5) == 0 ? _random.Next(1, (int)Math.Max(2, t / 50)) : 0;
        long itemsSucceeded = total is { } t2 ? (failure is null ? t2 - itemsFailed : (long)(t2 * _random.NextDouble())) : 0;
        var code = failure?.Code ?? SuccessCode();
        return new FilledJob
        {
            Insert = insert,
            State = failure is null ? JobState.Completed : JobState.Failed,
            CreatedAt = created, RunAt = created, StartedAt = started, FinishedAt = finished, RanOn = worker,
            Attempt = attempts, EarlierStarts = earlier,
            StalledCount = code == JobStatusCodes.Stalled ? attempts : 0,
            StatusCode = code, StatusLabel = failure?.Label ?? Label(code),
            UpdatedBy = total is null ? null : "worker:" + name.Queue,
            TotalItems = total, ItemsSucceeded = itemsSucceeded, ItemsFailed = itemsFailed, ProgressAt = total is null ? null : finished,
            LastError = failure is null ? null : Error(failure),
            // The rescuer records no stack (nothing threw); a handler's failure does.
            LastErrorStack = failure is null || failure.Exception.Length == 0 ? null : Stack(failure),
            Result = failure is null && _random.Next(3) > 0
                ? $$"""{"processed":{{total ?? 1}},"duration_ms":{{(long)duration.TotalMilliseconds}},"node":"{{worker[..6]}}"}"""
                : null,
        };
    }

    private int SuccessCode()
    {
        var r = _random.NextDouble();
        return r < 0.90 ? JobStatusCodes.Success : r < 0.96 ? FillMix.CompletedNoChanges : FillMix.SkippedUpToDate;
    }

    private static string Label(int code) => code switch
    {
        JobStatusCodes.Success => "SUCCESS",
        FillMix.CompletedNoChanges => "NO_CHANGES",
        _ => "SKIPPED_UP_TO_DATE",
    };

    private string Error(FillFailure failure) =>
        string.Format(CultureInfo.InvariantCulture, failure.Errors[_random.Next(failure.Errors.Length)], _random.Next(1000, 99999));

    private string Stack(FillFailure failure)
    {
        var sb = new StringBuilder(failure.Exception).Append(": ").Append(Error(failure)).Append('\n');
        var frames = _random.Next(6, 14);
        for (var f = 0; f < frames; f++)
        {
            sb.Append("   at Acme.Jobs.").Append(Tenants[_random.Next(Tenants.Length)].Replace("-", "", StringComparison.Ordinal))
              .Append(".Handler").Append(f).Append(".RunAsync(JobContext context, CancellationToken ct) in /src/Acme.Jobs/Handlers/Handler")
              .Append(f).Append(".cs:line ").Append(_random.Next(20, 400)).Append('\n');
        }
        return sb.Append("   at Jobwatch.Engine.HandlerInvoker.InvokeAsync(JobContext context, CancellationToken ct)").ToString();
    }

    private string Payload(FillName name, int i)
    {
        var tenant = Tenants[_random.Next(Tenants.Length)];
        var sb = new StringBuilder(512).Append('{')
            .Append("\"tenant_id\":\"").Append(tenant).Append("\",")
            .Append("\"user_id\":").Append(_random.Next(1, 2_000_000)).Append(',')
            .Append("\"request_id\":\"req_").Append(Hex(20)).Append("\",");
        switch (name.Type)
        {
            case "email":
                sb.Append("\"to\":\"user").Append(_random.Next(1, 2_000_000)).Append("@example.com\",\"template\":\"").Append(name.Name)
                  .Append("\",\"locale\":\"en-GB\",\"variables\":{\"first_name\":\"Alex\",\"plan\":\"pro\",\"unsubscribe_url\":\"https://example.com/u/")
                  .Append(Hex(24)).Append("\"}");
                break;
            case "tick_sync" or "report":
                sb.Append("\"from\":\"").Append(DateTimeOffset.UnixEpoch.AddDays(20000 + i % 500).ToString("O", CultureInfo.InvariantCulture))
                  .Append("\",\"symbols\":[");
                var symbols = _random.Next(3, 12);
                for (var s = 0; s < symbols; s++)
                {
                    sb.Append(s == 0 ? "" : ",").Append("\"SYM").Append(_random.Next(100, 999)).Append('"');
                }
                sb.Append("],\"page_size\":500");
                break;
            default:
                sb.Append("\"order_id\":\"ord_").Append(Hex(16)).Append("\",\"amount\":").Append(_random.Next(100, 500_000))
                  .Append(",\"currency\":\"EUR\",\"items\":[");
                var items = _random.Next(1, 6);
                for (var k = 0; k < items; k++)
                {
                    sb.Append(k == 0 ? "" : ",").Append("{\"sku\":\"SKU-").Append(_random.Next(1000, 99999)).Append("\",\"qty\":").Append(_random.Next(1, 5)).Append('}');
                }
                sb.Append(']');
                break;
        }
        return sb.Append('}').ToString();
    }

    private string Metadata(FillName name) =>
        $$"""{"priority":"{{(name.Priority > 0 ? "high" : "normal")}}","tenant":"{{Tenants[_random.Next(Tenants.Length)]}}","region":"{{Regions[_random.Next(Regions.Length)]}}","release":"2026.2.{{_random.Next(1, 40)}}"}""";

    /// <summary>Time spent waiting in the queue: mostly under a second, sometimes minutes.</summary>
    private TimeSpan Wait() => TimeSpan.FromSeconds(Math.Min(900, 0.3 * Math.Exp(1.5 * Gaussian())));

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private string Hex(int length)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }

    private int Pick(double[] cumulative)
    {
        var x = _random.NextDouble() * cumulative[^1];
        var k = Array.BinarySearch(cumulative, x);
        return Math.Min(k < 0 ? ~k : k, cumulative.Length - 1);
    }

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var sum = 0.0;
        return weights.Select(w => sum += w).ToArray();
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
