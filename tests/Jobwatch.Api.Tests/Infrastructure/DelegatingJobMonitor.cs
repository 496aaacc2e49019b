using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Storage;

namespace Jobwatch.Api.Tests.Infrastructure;

/// <summary>The real monitor behind a seam: a test overrides the one answer it wants to change.</summary>
public abstract class DelegatingJobMonitor(IJobMonitor inner) : IJobMonitor
{
    public virtual Task<JobDetail?> GetJobAsync(long id, CancellationToken ct = default) => inner.GetJobAsync(id, ct);
    public virtual Task<StorageHealth> CheckStorageAsync(CancellationToken ct = default) => inner.CheckStorageAsync(ct);
    public Task<IReadOnlyList<JobView>> GetActiveAsync(CancellationToken ct = default) => inner.GetActiveAsync(ct);
    public Task<IReadOnlyList<JobView>> GetHistoryAsync(string? jobName = null, int limit = 20, CancellationToken ct = default) => inner.GetHistoryAsync(jobName, limit, ct);
    public Task<IReadOnlyList<JobNameSummary>> GetSummaryAsync(CancellationToken ct = default) => inner.GetSummaryAsync(ct);
    public Task<JobPage> SearchAsync(JobListParams query, CancellationToken ct = default) => inner.SearchAsync(query, ct);
    public Task<IReadOnlyList<QueueStats>> GetQueuesAsync(CancellationToken ct = default) => inner.GetQueuesAsync(ct);
    public Task<DeadLetterStats> GetDeadLetterStatsAsync(TimeSpan? recentWindow = null, CancellationToken ct = default) => inner.GetDeadLetterStatsAsync(recentWindow, ct);
    public Task<IReadOnlyList<JobView>> GetDeadLetterRecentAsync(int limit = 20, CancellationToken ct = default) => inner.GetDeadLetterRecentAsync(limit, ct);
    public JobEventSubscription Subscribe(JobEventFilter? filter = null, int capacity = 10_000) => inner.Subscribe(filter, capacity);
}
