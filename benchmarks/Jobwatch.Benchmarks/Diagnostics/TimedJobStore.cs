using Jobwatch.Audit;
using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Benchmarks.Diagnostics;

/// <summary>
/// Wraps the real store and times every call (<c>--trace-store</c>), to show where a slow run spends
/// its time without editing the engine or the store. Times include waiting for the store's own locks.
/// </summary>
public sealed class TimedJobStore(IJobStore inner, StoreTimings t) : IJobStore, IDisposable
{
    public string Name => inner.Name;

    public Task MigrateAsync(CancellationToken ct = default) => t.TimeAsync("migrate", () => inner.MigrateAsync(ct));

    public Task<IReadOnlyList<long>> JobInsertManyAsync(JobInsertManyParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_insert_many", () => inner.JobInsertManyAsync(p, ct), r => r.Count);

    public Task<JobRecord> RunStartAsync(RunStartParams p, CancellationToken ct = default) =>
        t.TimeAsync("run_start", () => inner.RunStartAsync(p, ct));

    public Task<JobRecord?> RunAdoptAsync(RunAdoptParams p, CancellationToken ct = default) =>
        t.TimeAsync("run_adopt", () => inner.RunAdoptAsync(p, ct));

    public Task<IReadOnlyList<JobRecord>> JobFetchAvailableAsync(JobFetchParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_fetch_available", () => inner.JobFetchAvailableAsync(p, ct), r => r.Count);

    public Task<IReadOnlyList<long>> JobLeaseRenewManyAsync(JobLeaseRenewParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_lease_renew_many", () => inner.JobLeaseRenewManyAsync(p, ct), r => r.Count);

    public Task<IReadOnlyList<long>> JobProgressSaveManyAsync(JobProgressSaveManyParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_progress_save_many", () => inner.JobProgressSaveManyAsync(p, ct), r => r.Count);

    public Task<IReadOnlyList<long>> JobFinishManyAsync(JobFinishManyParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_finish_many", () => inner.JobFinishManyAsync(p, ct), r => r.Count);

    public Task<IReadOnlyList<RescuedJob>> JobRescueExpiredAsync(JobRescueParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_rescue_expired", () => inner.JobRescueExpiredAsync(p, ct), r => r.Count);

    public Task<int> JobPromoteDueAsync(JobPromoteParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_promote_due", () => inner.JobPromoteDueAsync(p, ct), r => r);

    public Task<JobActionResult> JobRetryAsync(JobRetryParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_retry", () => inner.JobRetryAsync(p, ct));

    public Task<IReadOnlyList<long>> JobRetryManyAsync(JobRetryManyParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_retry_many", () => inner.JobRetryManyAsync(p, ct), r => r.Count);

    public Task<JobActionResult> JobCancelAsync(JobCancelParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_cancel", () => inner.JobCancelAsync(p, ct));

    public Task<bool> JobDeleteAsync(JobDeleteParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_delete", () => inner.JobDeleteAsync(p, ct));

    public Task QueueSetPausedAsync(QueueSetPausedParams p, CancellationToken ct = default) =>
        t.TimeAsync("queue_set_paused", () => inner.QueueSetPausedAsync(p, ct));

    public Task<long> AuditAppendAsync(AuditAppendParams p, CancellationToken ct = default) =>
        t.TimeAsync("audit_append", () => inner.AuditAppendAsync(p, ct));

    public Task<IReadOnlyList<AuditEntry>> AuditListAsync(AuditListParams p, CancellationToken ct = default) =>
        t.TimeAsync("audit_list", () => inner.AuditListAsync(p, ct), r => r.Count);

    public Task<bool> LeaderAttemptElectAsync(LeaderElectParams p, CancellationToken ct = default) =>
        t.TimeAsync("leader_attempt_elect", () => inner.LeaderAttemptElectAsync(p, ct));

    public Task LeaderResignAsync(LeaderResignParams p, CancellationToken ct = default) =>
        t.TimeAsync("leader_resign", () => inner.LeaderResignAsync(p, ct));

    public Task<JobRecord?> JobGetAsync(long id, CancellationToken ct = default) =>
        t.TimeAsync("job_get", () => inner.JobGetAsync(id, ct));

    public Task<IReadOnlyList<JobTimelineEntry>> JobTimelineListAsync(long id, CancellationToken ct = default) =>
        t.TimeAsync("job_timeline_list", () => inner.JobTimelineListAsync(id, ct), r => r.Count);

    public Task<IReadOnlyList<JobRecord>> JobListAsync(JobListParams p, CancellationToken ct = default) =>
        t.TimeAsync("job_list", () => inner.JobListAsync(p, ct), r => r.Count);

    public Task<IReadOnlyList<JobRecord>> JobLatestPerNameAsync(CancellationToken ct = default) =>
        t.TimeAsync("job_latest_per_name", () => inner.JobLatestPerNameAsync(ct), r => r.Count);

    public Task<IReadOnlyList<QueueCounts>> QueueCountsListAsync(QueueCountsParams p, CancellationToken ct = default) =>
        t.TimeAsync("queue_counts_list", () => inner.QueueCountsListAsync(p, ct), r => r.Count);

    public Task<DeadLetterCounts> DeadLetterCountsAsync(DeadLetterCountsParams p, CancellationToken ct = default) =>
        t.TimeAsync("dead_letter_counts", () => inner.DeadLetterCountsAsync(p, ct));

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
