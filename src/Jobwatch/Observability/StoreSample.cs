namespace Jobwatch.Observability;

/// <summary>One queue's gauges (several queues when they share the <c>other</c> label: counts summed, ages maxed).</summary>
/// <param name="PausedJobs">Jobs waiting in a paused queue. As in BullMQ, they count as <c>paused</c> instead of <c>waiting</c>, so the states add up to the queue's jobs.</param>
/// <param name="OldestWaitingAgeSeconds">Age of the oldest job that is due and not started (paused or not); 0 when none.</param>
internal sealed record QueueSample(
    string Queue,
    long Waiting,
    long Active,
    long Delayed,
    long Completed,
    long Failed,
    long Cancelled,
    long PausedJobs,
    bool Paused,
    double OldestWaitingAgeSeconds);

/// <summary>What the store said at one moment: the gauges that are the same on every node.</summary>
/// <param name="Queues">Empty when the store could not be read.</param>
internal sealed record StoreSample(DateTimeOffset At, bool StorageUp, double StorageLatencySeconds, IReadOnlyList<QueueSample> Queues);
