using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Monitoring;

/// <summary>A job with the figures derived from it at read time (seed 001's progress_percent, elapsed, ETA, items/s).</summary>
public sealed record JobView(
    JobRecord Job,
    double? ProgressPercent,
    double? ItemsPerSecond,
    double? ElapsedSeconds,
    double? EstimatedRemainingSeconds,
    double? DurationSeconds);

public sealed record JobDetail(JobView View, IReadOnlyList<JobTimelineEntry> Timeline);

/// <summary>One line of seed 001's summary: the latest run of a job name.</summary>
public sealed record JobNameSummary(
    string Name,
    string Type,
    long LastJobId,
    DateTimeOffset LastRun,
    JobState State,
    /// <summary>"1523/2847 (53.5%)" while items are counted, else "53.5%", else null.</summary>
    string? Progress,
    double? DurationSeconds,
    DateTimeOffset? NextScheduled);

public sealed record QueueStats(QueueCounts Counts, int? Concurrency, int? Busy)
{
    public string Queue => Counts.Queue;
}

public sealed record DeadLetterStats(DeadLetterCounts Counts, DateTimeOffset RecentSince);

public sealed record JobPage(IReadOnlyList<JobView> Jobs, JobListCursor? Next);

/// <summary>Whether the store answered (seed 003 reports this where it says <c>redis</c>).</summary>
public sealed record StorageHealth(string Backend, bool Up, TimeSpan ResponseTime, string? Error);
