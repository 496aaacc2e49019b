using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Storage;

namespace Jobwatch.Api.Tests.HealthChecks;

/// <summary>The real monitor, except that its storage probe answers as <see cref="JobMonitor.CheckStorageAsync"/> does for a database that refuses connections.</summary>
internal sealed class StorageDownMonitor(IJobMonitor inner) : IJobMonitor
{
    public const string Error = "Connection refused (127.0.0.1:5432)";

    public async Task<StorageHealth> CheckStorageAsync(CancellationToken ct = default)
    {
        var real = await inner.CheckStorageAsync(ct);
        return real with { Up = false, Error = Error };
    }

    public Task<JobDetail?> GetJobAsync(long id, CancellationToken ct = default) => inner.GetJobAsync(id, ct);
    public Task<IReadOnlyList<JobView>> GetActiveAsync(CancellationToken ct = default) => inner.GetActiveAsync(ct);
    public Task<IReadOnlyList<JobView>> GetHistoryAsync(string? jobName = null, int limit = 20, CancellationToken ct = default) => inner.GetHistoryAsync(jobName, limit, ct);
    public Task<IReadOnlyList<JobNameSummary>> GetSummaryAsync(CancellationToken ct = default) => inner.GetSummaryAsync(ct);
    public Task<JobPage> SearchAsync(JobListParams query, CancellationToken ct = default) => inner.SearchAsync(query, ct);
    public Task<IReadOnlyList<QueueStats>> GetQueuesAsync(CancellationToken ct = default) => inner.GetQueuesAsync(ct);
    public Task<DeadLetterStats> GetDeadLetterStatsAsync(TimeSpan? recentWindow = null, CancellationToken ct = default) => inner.GetDeadLetterStatsAsync(recentWindow, ct);
    public Task<IReadOnlyList<JobView>> GetDeadLetterRecentAsync(int limit = 20, CancellationToken ct = default) => inner.GetDeadLetterRecentAsync(limit, ct);
    public JobEventSubscription Subscribe(JobEventFilter? filter = null, int capacity = 10_000) => inner.Subscribe(filter, capacity);
}
