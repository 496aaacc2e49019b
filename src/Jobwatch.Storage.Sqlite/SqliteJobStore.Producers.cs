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

    public Task<JobRecord?> RunAdoptAsync(RunAdoptParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) =>
        {
            var job = JobRecordReader.ReadSingle(session.Statement(SqlCatalog.RunAdopt)
                .Set("@id", p.Id)
                .Set("@expected_worker_id", p.ExpectedWorkerId)
                .Set("@expected_attempt", p.ExpectedAttempt)
                .Set("@new_owner_id", p.NewOwnerId)
                .Set("@now", p.Now)
                .Set("@lease_until", p.LeaseUntil));
            if (job is not null)
            {
                new TimelineAppender(session).Append(job.Id, p.Now, JobTimelineKinds.Adopted, JobState.Active, job.Attempt,
                    workerId: p.NewOwnerId, message: $"taken over from {p.ExpectedWorkerId}");
            }
            return job;
        }, ct);
    }

    private static IReadOnlyList<long> InsertJobs(SqliteSession session, JobInsertManyParams p)
    {
        var ids = JobInserter.Insert(session, p);
        session.Statement(SqlCatalog.TimelineInsertCreated)
            .Set("@at", p.Now)
            .Set("@kind", JobTimelineKinds.Created)
            .Set("@first_id", ids[0])
            .Set("@last_id", ids[^1])
            .Execute();
        return ids;
    }
}
