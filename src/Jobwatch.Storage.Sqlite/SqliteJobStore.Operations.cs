using Jobwatch.Model;
using Jobwatch.Storage.Sqlite.Internal;

namespace Jobwatch.Storage.Sqlite;

public sealed partial class SqliteJobStore
{
    public Task<JobActionResult> JobRetryAsync(JobRetryParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) =>
        {
            var job = JobRecordReader.ReadSingle(session.Statement(SqlCatalog.JobRetry).Set("@id", p.Id).Set("@now", p.Now));
            if (job is null)
            {
                return Rejected(session, p.Id);
            }
            new TimelineAppender(session).Append(job.Id, p.Now, JobTimelineKinds.Retried, JobState.Waiting, job.Attempt, message: ByMessage(p.By));
            return JobActionResult.Done(job);
        }, ct);
    }

    public Task<IReadOnlyList<long>> JobRetryManyAsync(JobRetryManyParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }
        return _writer.RunAsync(p, static (session, p) =>
        {
            var ids = new List<long>();
            using (var reader = session.Statement(SqlCatalog.JobRetryMany)
                .Set("@now", p.Now)
                .Set("@queue", p.Queue)
                .Set("@name", p.Name)
                .Set("@status_code", p.StatusCode)
                .Set("@failed_after", p.FailedAfter)
                .Set("@failed_before", p.FailedBefore)
                .Set("@limit", p.Limit)
                .Query())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }
            ids.Sort();
            var timeline = new TimelineAppender(session);
            var message = ByMessage(p.By);
            foreach (var id in ids)
            {
                timeline.Append(id, p.Now, JobTimelineKinds.Retried, JobState.Waiting, 0, message: message);
            }
            return (IReadOnlyList<long>)ids;
        }, ct);
    }

    public Task<JobActionResult> JobCancelAsync(JobCancelParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) =>
        {
            var job = JobRecordReader.ReadSingle(session.Statement(SqlCatalog.JobCancel).Set("@id", p.Id).Set("@now", p.Now));
            if (job is null)
            {
                return Rejected(session, p.Id);
            }
            new TimelineAppender(session).Append(job.Id, p.Now, JobTimelineKinds.Cancelled, JobState.Cancelled, job.Attempt,
                workerId: job.WorkerId, message: ByMessage(p.By));
            return JobActionResult.Done(job);
        }, ct);
    }

    public Task<bool> JobDeleteAsync(JobDeleteParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) =>
        {
            session.Statement(SqlCatalog.JobDeleteTimeline).Set("@id", p.Id).Execute();
            return session.Statement(SqlCatalog.JobDelete).Set("@id", p.Id).Execute() > 0;
        }, ct);
    }

    public Task QueueSetPausedAsync(QueueSetPausedParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) => session.Statement(SqlCatalog.QueueSetPaused)
            .Set("@name", p.Queue)
            .Set("@paused", p.Paused)
            .Set("@now", p.Now)
            .Execute(), ct);
    }

    /// <summary>The guarded UPDATE matched nothing: the job is missing, or in a state the action does not apply to.</summary>
    private static JobActionResult Rejected(SqliteSession session, long id)
    {
        var current = JobRecordReader.ReadSingle(session.Statement(SqlCatalog.JobGet).Set("@id", id));
        return current is null ? JobActionResult.NotFound : JobActionResult.NotAllowed(current);
    }

    private static string? ByMessage(string? by) => string.IsNullOrEmpty(by) ? null : $"by {by}";
}
