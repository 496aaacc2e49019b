using Jobwatch.Model;
using Jobwatch.Storage.Sqlite.Internal;

namespace Jobwatch.Storage.Sqlite;

public sealed partial class SqliteJobStore
{
    public Task<IReadOnlyList<long>> JobInsertManyAsync(JobInsertManyParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Jobs.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }
        return _writer.RunAsync(p, static (session, p) => InsertJobs(session, p), ct);
    }

    public Task<JobRecord> RunStartAsync(RunStartParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) =>
        {
            var job = JobRecordReader.ReadSingle(session.Statement(SqlCatalog.RunStart)
                .Set("@queue", p.Queue)
                .Set("@name", p.Name)
                .Set("@type", p.Type)
                .Set("@created_by", p.CreatedBy)
                .Set("@metadata", p.Metadata)
                .Set("@now", p.Now)
                .Set("@lease_until", p.LeaseUntil)
                .Set("@owner_id", p.OwnerId)
                .Set("@total_items", p.TotalItems)
                .Set("@trace_parent", p.TraceParent))
                ?? throw new InvalidOperationException("INSERT … RETURNING returned no row.");
            var timeline = new TimelineAppender(session);
            timeline.Append(job.Id, p.Now, JobTimelineKinds.Created, JobState.Active, job.Attempt, workerId: p.OwnerId);
            timeline.Append(job.Id, p.Now, JobTimelineKinds.Started, JobState.Active, job.Attempt, workerId: p.OwnerId);
            return job;
        }, ct);
    }

    private static IReadOnlyList<long> InsertJobs(SqliteSession session, JobInsertManyParams p)
    {
        // Prepared once and re-bound per row: parsing SQL per job would cost more than the insert.
        var insert = session.Statement(SqlCatalog.JobInsert);
        var ids = new long[p.Jobs.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            var job = p.Jobs[i];
            var state = job.RunAt <= p.Now ? JobState.Waiting : JobState.Delayed;
            var id = insert
                .Set("@queue", job.Queue)
                .Set("@name", job.Name)
                .Set("@type", job.Type)
                .Set("@state", (int)state)
                .Set("@created_by", job.CreatedBy)
                .Set("@payload", job.Payload)
                .Set("@metadata", job.Metadata)
                .Set("@priority", job.Priority)
                .Set("@max_attempts", job.MaxAttempts)
                .Set("@run_at", job.RunAt)
                .Set("@created_at", p.Now)
                .Set("@timeout_ms", job.TimeoutMs)
                .Set("@trace_parent", job.TraceParent)
                .Scalar();
            ids[i] = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
        }
        session.Statement(SqlCatalog.TimelineInsertCreated)
            .Set("@at", p.Now)
            .Set("@kind", JobTimelineKinds.Created)
            .Set("@first_id", ids[0])
            .Set("@last_id", ids[^1])
            .Execute();
        return ids;
    }
}
