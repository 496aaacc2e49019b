using Jobwatch.Audit;
using Jobwatch.Model;

namespace Jobwatch.Storage;

/// <summary>
/// The storage seam. Shaped around state transitions and the queries the monitoring surfaces need,
/// not around tables (River's driver, Oban's engine). Every backend passes the conformance suite in
/// <c>tests/Jobwatch.Storage.Tests</c>. Methods are named noun-verb, each takes one parameter record,
/// and every transition is guarded in the store (a stale worker can never overwrite a newer state).
/// Times are passed in by the caller (from <see cref="TimeProvider"/>), never read from the database clock.
/// </summary>
public interface IJobStore
{
    /// <summary>Short backend name for logs and health ("sqlite", "postgres").</summary>
    string Name { get; }

    /// <summary>Applies embedded migrations idempotently; safe when several processes start at once.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    // ---- producers -------------------------------------------------------------------------

    /// <summary>
    /// Inserts jobs in one transaction: state is waiting when <c>RunAt ≤ Now</c>, else delayed.
    /// Appends a <c>created</c> timeline entry for each. Returns the new ids in input order.
    /// </summary>
    Task<IReadOnlyList<long>> JobInsertManyAsync(JobInsertManyParams p, CancellationToken ct = default);

    /// <summary>Starts an external run: inserted directly as active, attempt 1, owned by <c>OwnerId</c> until <c>LeaseUntil</c>. Timeline: created, started.</summary>
    Task<JobRecord> RunStartAsync(RunStartParams p, CancellationToken ct = default);

    /// <summary>
    /// Adopts an external run held by another owner: in one guarded update, an active external run still owned by
    /// (<c>ExpectedWorkerId</c>, <c>ExpectedAttempt</c>) passes to <c>NewOwnerId</c> with its lease set to <c>LeaseUntil</c>,
    /// and an <c>adopted</c> timeline entry records the new owner. Returns the updated run, or null when the guard failed
    /// (not found, not external, no longer active, or someone else adopted it first). The attempt is unchanged:
    /// the old owner is fenced out by the worker id, so a new owner id must never be reused.
    /// </summary>
    Task<JobRecord?> RunAdoptAsync(RunAdoptParams p, CancellationToken ct = default);

    // ---- workers ---------------------------------------------------------------------------

    /// <summary>
    /// Atomically leases up to <c>Max</c> jobs of one queue: state waiting, or delayed with
    /// <c>RunAt ≤ Now</c>; queue not paused; ordered by priority (higher first), run_at, id.
    /// Each becomes active with attempt+1, started_at, worker and lease set, and a <c>started</c>
    /// timeline entry. No two callers ever receive the same (id, attempt).
    /// </summary>
    Task<IReadOnlyList<JobRecord>> JobFetchAvailableAsync(JobFetchParams p, CancellationToken ct = default);

    /// <summary>Extends the lease of the listed jobs that are still active and owned by <c>WorkerId</c>, in one statement. Returns the ids renewed; a missing id means the worker lost that job (cancelled, deleted or rescued).</summary>
    Task<IReadOnlyList<long>> JobLeaseRenewManyAsync(JobLeaseRenewParams p, CancellationToken ct = default);

    /// <summary>Saves coalesced progress for active jobs owned by the given worker/attempt, in one transaction. Returns the ids updated.</summary>
    Task<IReadOnlyList<long>> JobProgressSaveManyAsync(JobProgressSaveManyParams p, CancellationToken ct = default);

    /// <summary>
    /// Applies many outcomes (complete, retry, dead-letter, release) in one transaction, each guarded by
    /// (id, worker, attempt, state active). Returns the ids whose guard held; the others changed hands
    /// (cancelled, rescued, deleted) and are left untouched.
    /// </summary>
    Task<IReadOnlyList<long>> JobFinishManyAsync(JobFinishManyParams p, CancellationToken ct = default);

    /// <summary>
    /// Rescues active jobs whose lease expired before <c>Now</c>: stalled_count+1; a worker job returns
    /// to waiting, or fails (dead-letter) once stalled_count exceeds <c>MaxStalledCount</c> or its
    /// attempts are spent; an external run fails with the stalled code. Timeline: stalled (+ dead_lettered).
    /// </summary>
    Task<IReadOnlyList<RescuedJob>> JobRescueExpiredAsync(JobRescueParams p, CancellationToken ct = default);

    /// <summary>Moves delayed jobs whose run_at has passed to waiting (so stats show them as waiting). Returns how many moved.</summary>
    Task<int> JobPromoteDueAsync(JobPromoteParams p, CancellationToken ct = default);

    // ---- operator actions ------------------------------------------------------------------

    /// <summary>Failed or cancelled → waiting, attempt reset to 0, stalled count 0, error kept until the next run. Null if not found; <see cref="JobActionResult.NotAllowed"/> otherwise.</summary>
    Task<JobActionResult> JobRetryAsync(JobRetryParams p, CancellationToken ct = default);

    /// <summary>Retries every failed (non-external) job matching the filter, like <see cref="JobRetryAsync"/>. Returns their ids.</summary>
    Task<IReadOnlyList<long>> JobRetryManyAsync(JobRetryManyParams p, CancellationToken ct = default);

    /// <summary>Waiting, delayed or active → cancelled (finished_at set). A running worker notices at its next lease renewal.</summary>
    Task<JobActionResult> JobCancelAsync(JobCancelParams p, CancellationToken ct = default);

    /// <summary>Deletes a job and its timeline. Returns false when it did not exist.</summary>
    Task<bool> JobDeleteAsync(JobDeleteParams p, CancellationToken ct = default);

    /// <summary>Pauses or resumes a queue: a paused queue is not fetched from.</summary>
    Task QueueSetPausedAsync(QueueSetPausedParams p, CancellationToken ct = default);

    // ---- audit trail -----------------------------------------------------------------------

    /// <summary>Appends one audit entry (its time is the caller's <c>At</c>). Returns its id, higher than every id before it.</summary>
    Task<long> AuditAppendAsync(AuditAppendParams p, CancellationToken ct = default);

    /// <summary>Audit entries matching the filters, newest (highest id) first, at most <c>Limit</c>, below <c>BeforeId</c> when set.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditListAsync(AuditListParams p, CancellationToken ct = default);

    // ---- leadership ------------------------------------------------------------------------

    /// <summary>Takes or renews the named leadership for <c>NodeId</c> until Now+Ttl. True when this node is (still) the leader.</summary>
    Task<bool> LeaderAttemptElectAsync(LeaderElectParams p, CancellationToken ct = default);

    /// <summary>Gives up the named leadership if this node holds it.</summary>
    Task LeaderResignAsync(LeaderResignParams p, CancellationToken ct = default);

    // ---- monitoring queries ----------------------------------------------------------------

    Task<JobRecord?> JobGetAsync(long id, CancellationToken ct = default);

    /// <summary>The job's timeline, oldest first.</summary>
    Task<IReadOnlyList<JobTimelineEntry>> JobTimelineListAsync(long id, CancellationToken ct = default);

    /// <summary>Jobs matching a filter, newest first by the chosen order, with keyset pagination.</summary>
    Task<IReadOnlyList<JobRecord>> JobListAsync(JobListParams p, CancellationToken ct = default);

    /// <summary>The latest job (highest id) of every job name.</summary>
    Task<IReadOnlyList<JobRecord>> JobLatestPerNameAsync(CancellationToken ct = default);

    /// <summary>Per-queue counts by state, paused flag and oldest waiting job — every queue that has jobs or a pause record.</summary>
    Task<IReadOnlyList<QueueCounts>> QueueCountsListAsync(QueueCountsParams p, CancellationToken ct = default);

    /// <summary>Aggregates over failed jobs (the dead-letter queue).</summary>
    Task<DeadLetterCounts> DeadLetterCountsAsync(DeadLetterCountsParams p, CancellationToken ct = default);
}
