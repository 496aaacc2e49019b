namespace Jobwatch.Health;

/// <summary>
/// Thresholds that grade each queue healthy, degraded or unhealthy (seed 002's table), bound from configuration
/// section <c>Jobwatch:Health</c> and validated at start-up. <see cref="Default"/> applies to every queue; an entry
/// in <see cref="Queues"/> overrides only the values it sets, e.g. <c>Jobwatch:Health:Queues:bulk:BacklogUnhealthyAbove=5000</c>.
/// </summary>
public sealed class QueueHealthOptions
{
    public const string SectionName = "Jobwatch:Health";

    /// <summary>Changes to the built-in thresholds for all queues; unset values keep seed 002's defaults.</summary>
    public QueueHealthLimits Default { get; set; } = new();

    /// <summary>Per-queue changes on top of <see cref="Default"/>, by exact queue name.</summary>
    public Dictionary<string, QueueHealthLimits> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The thresholds in force for <paramref name="queue"/>: built-in, then <see cref="Default"/>, then the queue's own entry.</summary>
    public QueueHealthThresholds For(string queue) =>
        QueueHealthThresholds.BuiltIn.With(Default).With(Queues.GetValueOrDefault(queue));
}

/// <summary>
/// Optional threshold values; null keeps the value from the level below. "DegradedAt" values degrade a queue when
/// reached, "UnhealthyAbove" values make it unhealthy when exceeded, matching seed 002's "1–5 warning, &gt;5 critical".
/// </summary>
public sealed class QueueHealthLimits
{
    public long? FailedDegradedAt { get; set; }
    public long? FailedUnhealthyAbove { get; set; }
    public double? ErrorRateDegradedAtPercent { get; set; }
    public double? ErrorRateUnhealthyAbovePercent { get; set; }
    public long? ErrorRateMinimumFinished { get; set; }
    public long? BacklogDegradedAt { get; set; }
    public long? BacklogUnhealthyAbove { get; set; }
    public TimeSpan? WaitingDegradedAfter { get; set; }
    public long? StaleDegradedAt { get; set; }
    public long? StaleUnhealthyAbove { get; set; }
    public QueueHealthStatus? PausedStatus { get; set; }
}

/// <summary>The resolved thresholds for one queue. The defaults are seed 002's "System Health Indicators" table.</summary>
public sealed record QueueHealthThresholds
{
    public static QueueHealthThresholds BuiltIn { get; } = new();

    /// <summary>Failed jobs (the queue's dead-letter queue): 0 healthy, 1–5 degraded, more unhealthy.</summary>
    public long FailedDegradedAt { get; init; } = 1;
    public long FailedUnhealthyAbove { get; init; } = 5;

    /// <summary>
    /// Error rate: failed ÷ (completed + failed) over the queue's jobs still kept in storage (retention bounds the
    /// window, as BullMQ's completed/failed sets do in seed 003, whose 0.008 is 2 failed of 247 completed).
    /// Cancelled jobs are excluded: cancelling is an operator's decision, not an error. Under 5 % healthy, 5–10 %
    /// degraded, above 10 % unhealthy.
    /// </summary>
    public double ErrorRateDegradedAtPercent { get; init; } = 5;
    public double ErrorRateUnhealthyAbovePercent { get; init; } = 10;

    /// <summary>
    /// The error rate is graded only once this many jobs have finished: one failure among a queue's first three jobs is
    /// 33 %, which says nothing yet (the failed-jobs count already reports it).
    /// </summary>
    public long ErrorRateMinimumFinished { get; init; } = 20;

    /// <summary>Backlog (jobs due and waiting): under 10 healthy, 10–50 degraded, more unhealthy.</summary>
    public long BacklogDegradedAt { get; init; } = 10;
    public long BacklogUnhealthyAbove { get; init; } = 50;

    /// <summary>The oldest due job waiting this long degrades the queue (seed 002's "jobs waiting &gt;10 minutes" warning).</summary>
    public TimeSpan WaitingDegradedAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Active jobs with an expired lease (seed 003's stale jobs): 1–5 degraded, more unhealthy.</summary>
    public long StaleDegradedAt { get; init; } = 1;
    public long StaleUnhealthyAbove { get; init; } = 5;

    /// <summary>A paused queue processes nothing; seed 003 counts it among the critical issues.</summary>
    public QueueHealthStatus PausedStatus { get; init; } = QueueHealthStatus.Unhealthy;

    public QueueHealthThresholds With(QueueHealthLimits? limits) => limits is null ? this : new()
    {
        FailedDegradedAt = limits.FailedDegradedAt ?? FailedDegradedAt,
        FailedUnhealthyAbove = limits.FailedUnhealthyAbove ?? FailedUnhealthyAbove,
        ErrorRateDegradedAtPercent = limits.ErrorRateDegradedAtPercent ?? ErrorRateDegradedAtPercent,
        ErrorRateUnhealthyAbovePercent = limits.ErrorRateUnhealthyAbovePercent ?? ErrorRateUnhealthyAbovePercent,
        ErrorRateMinimumFinished = limits.ErrorRateMinimumFinished ?? ErrorRateMinimumFinished,
        BacklogDegradedAt = limits.BacklogDegradedAt ?? BacklogDegradedAt,
        BacklogUnhealthyAbove = limits.BacklogUnhealthyAbove ?? BacklogUnhealthyAbove,
        WaitingDegradedAfter = limits.WaitingDegradedAfter ?? WaitingDegradedAfter,
        StaleDegradedAt = limits.StaleDegradedAt ?? StaleDegradedAt,
        StaleUnhealthyAbove = limits.StaleUnhealthyAbove ?? StaleUnhealthyAbove,
        PausedStatus = limits.PausedStatus ?? PausedStatus,
    };
}
