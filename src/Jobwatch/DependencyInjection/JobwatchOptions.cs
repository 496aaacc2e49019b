using Jobwatch.Observability;
using Microsoft.Extensions.Options;

namespace Jobwatch.DependencyInjection;

/// <summary>Engine settings. Bound from the "Jobwatch" configuration section by the server; validated at start-up.</summary>
public sealed class JobwatchOptions
{
    /// <summary>Run workers in this process. A server that only serves the API and dashboard sets this false.</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>Identifies this process in leases and logs; defaults to host:pid:random.</summary>
    public string? WorkerId { get; set; }

    /// <summary>Concurrency for queues not listed in <see cref="Queues"/>.</summary>
    public int DefaultConcurrency { get; set; } = 8;

    /// <summary>Per-queue settings, e.g. <c>Queues["OSINT_Characters"] = new() { Concurrency = 3 }</c>.</summary>
    public Dictionary<string, QueueOptions> Queues { get; } = new(StringComparer.Ordinal);

    /// <summary>How long a fetched job is leased; renewed every third of this while it runs.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fallback poll when no wake-up arrives (delayed jobs coming due, other processes enqueuing on SQLite).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most jobs one fetch leases; also capped by free slots.</summary>
    public int FetchBatchSize { get; set; } = 100;

    /// <summary>How often dirty progress is written to storage.</summary>
    public TimeSpan ProgressFlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Most outcomes written in one transaction.</summary>
    public int OutcomeBatchSize { get; set; } = 500;

    /// <summary>How often expired leases are looked for (seed 002's stalledInterval).</summary>
    public TimeSpan RescueInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the leader moves due delayed jobs to waiting (Hangfire's SchedulePollingInterval, Oban's stager). A
    /// process promotes the jobs it delayed itself the moment they fall due; this round catches the others, e.g. those
    /// of a process that has exited.
    /// </summary>
    public TimeSpan PromoteInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A job whose lease expires more often than this goes to the dead-letter queue (seed 002's maxStalledCount).</summary>
    public int MaxStalledCount { get; set; } = 2;

    /// <summary>An external run with no report for this long is marked stalled (seed 001).</summary>
    public TimeSpan RunHeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>On shutdown, running handlers get this long to finish before they are cancelled and their jobs released.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public RetryBackoffOptions Backoff { get; } = new();

    /// <summary>Label caps and store sampling of the metrics (see docs/metrics.md).</summary>
    public JobwatchMetricsOptions Metrics { get; } = new();
}

public sealed class QueueOptions
{
    public int Concurrency { get; set; } = 8;
}

/// <summary>Exponential backoff: Base × 2^(attempt−1), capped at Max, spread by ±Jitter.</summary>
public sealed class RetryBackoffOptions
{
    public TimeSpan Base { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan Max { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Fraction (0–1) of the delay that is randomised, so failed jobs don't retry in lock-step.</summary>
    public double Jitter { get; set; } = 0.25;
}

internal sealed class JobwatchOptionsValidator : IValidateOptions<JobwatchOptions>
{
    public ValidateOptionsResult Validate(string? name, JobwatchOptions o)
    {
        var errors = new List<string>();
        if (o.DefaultConcurrency < 1) errors.Add("Jobwatch:DefaultConcurrency must be at least 1.");
        foreach (var (queue, q) in o.Queues)
        {
            if (q.Concurrency < 1) errors.Add($"Jobwatch:Queues:{queue}:Concurrency must be at least 1.");
        }
        if (o.LeaseDuration < TimeSpan.FromSeconds(1)) errors.Add("Jobwatch:LeaseDuration must be at least 1 second.");
        if (o.PollInterval <= TimeSpan.Zero) errors.Add("Jobwatch:PollInterval must be positive.");
        if (o.FetchBatchSize < 1) errors.Add("Jobwatch:FetchBatchSize must be at least 1.");
        if (o.OutcomeBatchSize < 1) errors.Add("Jobwatch:OutcomeBatchSize must be at least 1.");
        if (o.ProgressFlushInterval <= TimeSpan.Zero) errors.Add("Jobwatch:ProgressFlushInterval must be positive.");
        if (o.RescueInterval <= TimeSpan.Zero) errors.Add("Jobwatch:RescueInterval must be positive.");
        if (o.PromoteInterval <= TimeSpan.Zero) errors.Add("Jobwatch:PromoteInterval must be positive.");
        if (o.MaxStalledCount < 0) errors.Add("Jobwatch:MaxStalledCount must be 0 or more.");
        if (o.RunHeartbeatTimeout < TimeSpan.FromSeconds(1)) errors.Add("Jobwatch:RunHeartbeatTimeout must be at least 1 second.");
        if (o.ShutdownTimeout < TimeSpan.Zero) errors.Add("Jobwatch:ShutdownTimeout must not be negative.");
        if (o.Backoff.Base <= TimeSpan.Zero || o.Backoff.Max < o.Backoff.Base) errors.Add("Jobwatch:Backoff needs 0 < Base ≤ Max.");
        if (o.Backoff.Jitter is < 0 or > 1) errors.Add("Jobwatch:Backoff:Jitter must be between 0 and 1.");
        errors.AddRange(o.Metrics.Validate());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
