using System.Globalization;
using System.Text;
using Jobwatch.Model;
using Jobwatch.Storage.Sqlite.Internal;

namespace Jobwatch.Storage.Sqlite;

public sealed partial class SqliteJobStore
{
    /// <summary>The order jobs are handed out in (RETURNING gives rows in no particular order).</summary>
    private static readonly Comparison<JobRecord> HandOutOrder = static (a, b) =>
    {
        var byPriority = b.Priority.CompareTo(a.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }
        var byRunAt = a.RunAt.CompareTo(b.RunAt);
        return byRunAt != 0 ? byRunAt : a.Id.CompareTo(b.Id);
    };

    public Task<IReadOnlyList<JobRecord>> JobFetchAvailableAsync(JobFetchParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Max <= 0)
        {
            return Task.FromResult<IReadOnlyList<JobRecord>>([]);
        }
        return _writer.RunAsync(p, static (session, p) =>
        {
            var jobs = JobRecordReader.ReadAll(session.Statement(SqlCatalog.JobFetchAvailable)
                .Set("@queue", p.Queue)
                .Set("@now", p.Now)
                .Set("@worker_id", p.WorkerId)
                .Set("@lease_until", p.LeaseUntil)
                .Set("@max", p.Max), p.Max);
            if (jobs.Count == 0)
            {
                return (IReadOnlyList<JobRecord>)jobs;
            }
            jobs.Sort(HandOutOrder);
            session.Statement(SqlCatalog.TimelineInsertStarted)
                .Set("@at", p.Now)
                .Set("@kind", JobTimelineKinds.Started)
                .Set("@ids", ToJsonArray(jobs, static j => j.Id))
                .Execute();
            return (IReadOnlyList<JobRecord>)jobs;
        }, ct);
    }

    public Task<IReadOnlyList<long>> JobLeaseRenewManyAsync(JobLeaseRenewParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.JobIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }
        return _writer.RunAsync(p, static (session, p) =>
        {
            var renewed = new List<long>(p.JobIds.Count);
            using var reader = session.Statement(SqlCatalog.JobLeaseRenewMany)
                .Set("@ids", ToJsonArray(p.JobIds, static id => id))
                .Set("@worker_id", p.WorkerId)
                .Set("@lease_until", p.LeaseUntil)
                .Query();
            while (reader.Read())
            {
                renewed.Add(reader.GetInt64(0));
            }
            renewed.Sort();
            return (IReadOnlyList<long>)renewed;
        }, ct);
    }

    public Task<IReadOnlyList<long>> JobProgressSaveManyAsync(JobProgressSaveManyParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Updates.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }
        return _writer.RunAsync(p, static (session, p) =>
        {
            var save = session.Statement(SqlCatalog.JobProgressSave);
            var saved = new List<long>(p.Updates.Count);
            foreach (var u in p.Updates)
            {
                var changed = save
                    .Set("@id", u.JobId)
                    .Set("@worker_id", u.WorkerId)
                    .Set("@attempt", u.Attempt)
                    .Set("@total_items", u.TotalItems)
                    .Set("@items_succeeded", u.ItemsSucceeded)
                    .Set("@items_failed", u.ItemsFailed)
                    .Set("@reported_percent", u.ReportedPercent)
                    .Set("@custom_progress", u.CustomProgress)
                    .Set("@updated_by", u.UpdatedBy)
                    .Set("@progress_at", u.At)
                    .Set("@lease_until", u.LeaseUntil)
                    .Execute();
                if (changed > 0)
                {
                    saved.Add(u.JobId);
                }
            }
            return (IReadOnlyList<long>)saved;
        }, ct);
    }

    public Task<IReadOnlyList<long>> JobFinishManyAsync(JobFinishManyParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Finishes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }
        foreach (var f in p.Finishes)
        {
            if (f.Kind == JobFinishKind.Retry && f.RetryAt is null)
            {
                throw new ArgumentException($"The retry of job {f.JobId} has no RetryAt.", nameof(p));
            }
        }
        // One guarded UPDATE per finish, on prepared statements. (A set-based UPDATE … FROM
        // json_each(@batch) was measured too: extracting every field from JSON cost more than it saved.)
        return _writer.RunAsync(p, static (session, p) =>
        {
            var timeline = new TimelineAppender(session);
            var finished = new List<long>(p.Finishes.Count);
            foreach (var f in p.Finishes)
            {
                if (ApplyFinish(session, f) == 0)
                {
                    continue; // the guard failed: the job changed hands, leave it alone
                }
                finished.Add(f.JobId);
                var (kind, state, message) = f.Kind switch
                {
                    JobFinishKind.Complete => (JobTimelineKinds.Completed, JobState.Completed, null),
                    JobFinishKind.Retry => (JobTimelineKinds.Retrying, JobState.Delayed, f.Error),
                    JobFinishKind.DeadLetter => (JobTimelineKinds.DeadLettered, JobState.Failed, f.Error),
                    _ => (JobTimelineKinds.Released, JobState.Waiting, null),
                };
                timeline.Append(f.JobId, f.At, kind, state, f.Attempt, f.StatusCode, f.WorkerId, message);
            }
            return (IReadOnlyList<long>)finished;
        }, ct);
    }

    /// <summary>Runs the guarded UPDATE of one outcome; returns the rows changed (0 or 1).</summary>
    private static int ApplyFinish(SqliteSession session, JobFinish f)
    {
        var statement = f.Kind switch
        {
            JobFinishKind.Complete => session.Statement(SqlCatalog.JobFinishComplete)
                .Set("@at", f.At)
                .Set("@status_code", f.StatusCode)
                .Set("@status_label", f.StatusLabel)
                .Set("@result", f.Result),
            JobFinishKind.Retry => session.Statement(SqlCatalog.JobFinishRetry)
                .Set("@retry_at", f.RetryAt)
                .Set("@status_code", f.StatusCode)
                .Set("@status_label", f.StatusLabel)
                .Set("@error", f.Error)
                .Set("@error_stack", f.ErrorStack),
            JobFinishKind.DeadLetter => session.Statement(SqlCatalog.JobFinishDeadLetter)
                .Set("@at", f.At)
                .Set("@status_code", f.StatusCode)
                .Set("@status_label", f.StatusLabel)
                .Set("@error", f.Error)
                .Set("@error_stack", f.ErrorStack),
            JobFinishKind.Release => session.Statement(SqlCatalog.JobFinishRelease),
            _ => throw new ArgumentOutOfRangeException(nameof(f), f.Kind, "Unknown finish kind."),
        };
        statement
            .Set("@id", f.JobId)
            .Set("@worker_id", f.WorkerId)
            .Set("@attempt", f.Attempt);
        // Left NULL (so the SQL keeps the stored values) when the outcome carries no progress.
        if (f.Progress is { } progress)
        {
            statement
                .Set("@total_items", progress.TotalItems)
                .Set("@items_succeeded", progress.ItemsSucceeded)
                .Set("@items_failed", progress.ItemsFailed)
                .Set("@reported_percent", progress.ReportedPercent)
                .Set("@custom_progress", progress.CustomProgress)
                .Set("@updated_by", progress.UpdatedBy)
                .Set("@progress_at", progress.At);
        }
        return statement.Execute();
    }

    /// <summary>Ids as a JSON array, the one parameter of an <c>IN (SELECT value FROM json_each(@ids))</c>.</summary>
    private static string ToJsonArray<T>(IReadOnlyList<T> items, Func<T, long> id)
    {
        var json = new StringBuilder(items.Count * 8 + 2).Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }
            json.Append(id(items[i]).ToString(CultureInfo.InvariantCulture));
        }
        return json.Append(']').ToString();
    }
}
