using Jobwatch.Events;
using Jobwatch.Storage;

namespace Jobwatch.Monitoring;

/// <summary>The one read side every surface (API, hub, CLI, dashboard, metrics) uses. Never the store directly.</summary>
public interface IJobMonitor
{
    /// <summary>Running jobs and runs, with live progress for those running in this process.</summary>
    Task<IReadOnlyList<JobView>> GetActiveAsync(CancellationToken ct = default);

    /// <summary>Started jobs (running or finished), newest first; <paramref name="limit"/> is 1–1000.</summary>
    Task<IReadOnlyList<JobView>> GetHistoryAsync(string? jobName = null, int limit = 20, CancellationToken ct = default);

    /// <summary>The latest run of every job name.</summary>
    Task<IReadOnlyList<JobNameSummary>> GetSummaryAsync(CancellationToken ct = default);

    Task<JobDetail?> GetJobAsync(long id, CancellationToken ct = default);

    Task<JobPage> SearchAsync(JobListParams query, CancellationToken ct = default);

    Task<IReadOnlyList<QueueStats>> GetQueuesAsync(CancellationToken ct = default);

    /// <summary>Dead-letter aggregates; "recent" means failed within <paramref name="recentWindow"/> (default one hour).</summary>
    Task<DeadLetterStats> GetDeadLetterStatsAsync(TimeSpan? recentWindow = null, CancellationToken ct = default);

    /// <summary>Most recently failed jobs first.</summary>
    Task<IReadOnlyList<JobView>> GetDeadLetterRecentAsync(int limit = 20, CancellationToken ct = default);

    /// <summary>Reaches the store with the cheapest query it has and reports how long that took; never throws for an unreachable store.</summary>
    Task<StorageHealth> CheckStorageAsync(CancellationToken ct = default);

    /// <summary>The live event stream (in-process; cross-node with a multi-node store).</summary>
    JobEventSubscription Subscribe(JobEventFilter? filter = null, int capacity = 10_000);
}
