using System.Diagnostics;
using Jobwatch.Audit;
using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Observability;

/// <summary>
/// Times every store call Jobwatch makes into <c>jobwatch_storage_operation_duration_seconds{operation,status}</c>
/// (seed 004). <c>AddJobwatch</c> gives it to the engine, client, monitor and reporters in place of the
/// registered store, so every backend is measured the same way without knowing. With nobody listening a
/// call goes straight to the store. A call cancelled by its caller is not counted: it says nothing about storage.
/// </summary>
public sealed class InstrumentedJobStore(IJobStore inner, JobwatchMetrics metrics) : IJobStore
{
    public IJobStore Inner => inner;
    public string Name => inner.Name;

    // The timestamp argument is evaluated before the call expression, so the time includes any work the
    // store does before returning its task.
    public Task MigrateAsync(CancellationToken ct = default) => Time("migrate", Stopwatch.GetTimestamp(), inner.MigrateAsync(ct));
    public Task<IReadOnlyList<long>> JobInsertManyAsync(JobInsertManyParams p, CancellationToken ct = default) => Time("job_insert_many", Stopwatch.GetTimestamp(), inner.JobInsertManyAsync(p, ct));
    public Task<JobRecord> RunStartAsync(RunStartParams p, CancellationToken ct = default) => Time("run_start", Stopwatch.GetTimestamp(), inner.RunStartAsync(p, ct));
    public Task<JobRecord?> RunAdoptAsync(RunAdoptParams p, CancellationToken ct = default) => Time("run_adopt", Stopwatch.GetTimestamp(), inner.RunAdoptAsync(p, ct));
    public Task<IReadOnlyList<JobRecord>> JobFetchAvailableAsync(JobFetchParams p, CancellationToken ct = default) => Time("job_fetch_available", Stopwatch.GetTimestamp(), inner.JobFetchAvailableAsync(p, ct));
    public Task<IReadOnlyList<long>> JobLeaseRenewManyAsync(JobLeaseRenewParams p, CancellationToken ct = default) => Time("job_lease_renew_many", Stopwatch.GetTimestamp(), inner.JobLeaseRenewManyAsync(p, ct));
    public Task<IReadOnlyList<long>> JobProgressSaveManyAsync(JobProgressSaveManyParams p, CancellationToken ct = default) => Time("job_progress_save_many", Stopwatch.GetTimestamp(), inner.JobProgressSaveManyAsync(p, ct));
    public Task<IReadOnlyList<long>> JobFinishManyAsync(JobFinishManyParams p, CancellationToken ct = default) => Time("job_finish_many", Stopwatch.GetTimestamp(), inner.JobFinishManyAsync(p, ct));
    public Task<IReadOnlyList<RescuedJob>> JobRescueExpiredAsync(JobRescueParams p, CancellationToken ct = default) => Time("job_rescue_expired", Stopwatch.GetTimestamp(), inner.JobRescueExpiredAsync(p, ct));
    public Task<int> JobPromoteDueAsync(JobPromoteParams p, CancellationToken ct = default) => Time("job_promote_due", Stopwatch.GetTimestamp(), inner.JobPromoteDueAsync(p, ct));
    public Task<JobActionResult> JobRetryAsync(JobRetryParams p, CancellationToken ct = default) => Time("job_retry", Stopwatch.GetTimestamp(), inner.JobRetryAsync(p, ct));
    public Task<IReadOnlyList<long>> JobRetryManyAsync(JobRetryManyParams p, CancellationToken ct = default) => Time("job_retry_many", Stopwatch.GetTimestamp(), inner.JobRetryManyAsync(p, ct));
    public Task<JobActionResult> JobCancelAsync(JobCancelParams p, CancellationToken ct = default) => Time("job_cancel", Stopwatch.GetTimestamp(), inner.JobCancelAsync(p, ct));
    public Task<bool> JobDeleteAsync(JobDeleteParams p, CancellationToken ct = default) => Time("job_delete", Stopwatch.GetTimestamp(), inner.JobDeleteAsync(p, ct));
    public Task QueueSetPausedAsync(QueueSetPausedParams p, CancellationToken ct = default) => Time("queue_set_paused", Stopwatch.GetTimestamp(), inner.QueueSetPausedAsync(p, ct));
    public Task<long> AuditAppendAsync(AuditAppendParams p, CancellationToken ct = default) => Time("audit_append", Stopwatch.GetTimestamp(), inner.AuditAppendAsync(p, ct));
    public Task<IReadOnlyList<AuditEntry>> AuditListAsync(AuditListParams p, CancellationToken ct = default) => Time("audit_list", Stopwatch.GetTimestamp(), inner.AuditListAsync(p, ct));
    public Task<bool> LeaderAttemptElectAsync(LeaderElectParams p, CancellationToken ct = default) => Time("leader_attempt_elect", Stopwatch.GetTimestamp(), inner.LeaderAttemptElectAsync(p, ct));
    public Task LeaderResignAsync(LeaderResignParams p, CancellationToken ct = default) => Time("leader_resign", Stopwatch.GetTimestamp(), inner.LeaderResignAsync(p, ct));
    public Task<JobRecord?> JobGetAsync(long id, CancellationToken ct = default) => Time("job_get", Stopwatch.GetTimestamp(), inner.JobGetAsync(id, ct));
    public Task<IReadOnlyList<JobTimelineEntry>> JobTimelineListAsync(long id, CancellationToken ct = default) => Time("job_timeline_list", Stopwatch.GetTimestamp(), inner.JobTimelineListAsync(id, ct));
    public Task<IReadOnlyList<JobRecord>> JobListAsync(JobListParams p, CancellationToken ct = default) => Time("job_list", Stopwatch.GetTimestamp(), inner.JobListAsync(p, ct));
    public Task<IReadOnlyList<JobRecord>> JobLatestPerNameAsync(CancellationToken ct = default) => Time("job_latest_per_name", Stopwatch.GetTimestamp(), inner.JobLatestPerNameAsync(ct));
    public Task<IReadOnlyList<QueueCounts>> QueueCountsListAsync(QueueCountsParams p, CancellationToken ct = default) => Time("queue_counts_list", Stopwatch.GetTimestamp(), inner.QueueCountsListAsync(p, ct));
    public Task<DeadLetterCounts> DeadLetterCountsAsync(DeadLetterCountsParams p, CancellationToken ct = default) => Time("dead_letter_counts", Stopwatch.GetTimestamp(), inner.DeadLetterCountsAsync(p, ct));

    private Task<T> Time<T>(string operation, long start, Task<T> call) =>
        metrics.StorageTimingEnabled ? ObserveAsync(operation, start, call) : call;

    private Task Time(string operation, long start, Task call) =>
        metrics.StorageTimingEnabled ? ObserveAsync(operation, start, call) : call;

    private async Task<T> ObserveAsync<T>(string operation, long start, Task<T> call)
    {
        try
        {
            var result = await call.ConfigureAwait(false);
            metrics.StorageOperation(operation, true, start);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.StorageOperation(operation, false, start);
            throw;
        }
    }

    private async Task ObserveAsync(string operation, long start, Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
            metrics.StorageOperation(operation, true, start);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.StorageOperation(operation, false, start);
            throw;
        }
    }
}
