using Jobwatch.Monitoring;

namespace Jobwatch.Health;

/// <summary>What one queue is graded on: its counts, plus the figures that need more than the counts.</summary>
/// <param name="StaleJobs">Active jobs of the queue whose lease has expired.</param>
/// <param name="AverageDuration">Mean run time of the queue's most recently finished jobs; null when none finished.</param>
public sealed record QueueHealthSample(QueueStats Stats, long StaleJobs = 0, TimeSpan? AverageDuration = null);

/// <param name="ErrorRate">Failed ÷ (completed + failed), 0–1; 0 when nothing finished (see <see cref="QueueHealthThresholds.ErrorRateDegradedAtPercent"/>).</param>
/// <param name="OldestWaiting">How long the oldest due job has waited; null when none waits.</param>
public sealed record QueueHealthReport(
    QueueStats Stats,
    QueueHealthStatus Status,
    QueueHealthThresholds Thresholds,
    double ErrorRate,
    long StaleJobs,
    TimeSpan? OldestWaiting,
    TimeSpan? AverageDuration,
    IReadOnlyList<HealthIssue> Issues)
{
    public string Queue => Stats.Queue;
}

/// <summary>The storage and every known queue, graded at <see cref="EvaluatedAt"/>; <see cref="Status"/> is the worst of them.</summary>
/// <param name="Issues">The storage's issue (if any), then every queue's, each naming its queue.</param>
public sealed record SystemHealthReport(
    QueueHealthStatus Status,
    DateTimeOffset EvaluatedAt,
    StorageHealth Storage,
    IReadOnlyList<QueueHealthReport> Queues,
    IReadOnlyList<HealthIssue> Issues);
