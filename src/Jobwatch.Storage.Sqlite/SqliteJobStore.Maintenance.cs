using System.Globalization;
using Jobwatch.Model;
using Jobwatch.Storage.Sqlite.Internal;

namespace Jobwatch.Storage.Sqlite;

public sealed partial class SqliteJobStore
{
    public Task<IReadOnlyList<RescuedJob>> JobRescueExpiredAsync(JobRescueParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<RescuedJob>>([]);
        }
        return _writer.RunAsync(p, static (session, p) =>
        {
            // Selected and updated in one immediate transaction, so nothing changes in between;
            // the updates still repeat the guard in case a caller ever runs them on their own.
            var expired = JobRecordReader.ReadAll(session.Statement(SqlCatalog.JobRescueSelectExpired)
                .Set("@now", p.Now)
                .Set("@limit", p.Limit));
            var timeline = new TimelineAppender(session);
            var rescued = new List<RescuedJob>(expired.Count);
            foreach (var job in expired)
            {
                var outcome = job.IsExternal ? RescueOutcome.RunStalled
                    : job.StalledCount + 1 > p.MaxStalledCount || job.Attempt >= job.MaxAttempts ? RescueOutcome.DeadLettered
                    : RescueOutcome.Requeued;
                var expiredMessage = $"lease expired at {Format(job.LeaseUntil)} (worker {job.WorkerId})";
                var error = outcome == RescueOutcome.RunStalled
                    ? $"stalled: no report since {Format(job.ProgressAt ?? job.StartedAt ?? job.CreatedAt)}"
                    : $"stalled: {expiredMessage}";

                var statement = outcome == RescueOutcome.Requeued
                    ? session.Statement(SqlCatalog.JobRescueRequeue)
                    : session.Statement(SqlCatalog.JobRescueFail)
                        .Set("@status_code", p.StalledCode)
                        .Set("@status_label", p.StalledLabel)
                        .Set("@error", error);
                var updated = JobRecordReader.ReadSingle(statement.Set("@id", job.Id).Set("@now", p.Now));
                if (updated is null)
                {
                    continue;
                }

                if (outcome == RescueOutcome.Requeued)
                {
                    timeline.Append(job.Id, p.Now, JobTimelineKinds.Stalled, JobState.Waiting, job.Attempt, null, job.WorkerId, expiredMessage);
                }
                else
                {
                    timeline.Append(job.Id, p.Now, JobTimelineKinds.Stalled, JobState.Failed, job.Attempt, p.StalledCode, job.WorkerId, expiredMessage);
                    timeline.Append(job.Id, p.Now, JobTimelineKinds.DeadLettered, JobState.Failed, job.Attempt, p.StalledCode, job.WorkerId, error);
                }
                rescued.Add(new RescuedJob(updated, outcome));
            }
            return (IReadOnlyList<RescuedJob>)rescued;
        }, ct);
    }

    public Task<int> JobPromoteDueAsync(JobPromoteParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Limit <= 0)
        {
            return Task.FromResult(0);
        }
        return _writer.RunAsync(p, static (session, p) => session.Statement(SqlCatalog.JobPromoteDue)
            .Set("@now", p.Now)
            .Set("@limit", p.Limit)
            .Execute(), ct);
    }

    private static string Format(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "(unknown)";
}
