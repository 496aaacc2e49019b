using Dapper;
using Jobwatch.Model;
using Jobwatch.Storage.Sqlite.Internal;

namespace Jobwatch.Storage.Sqlite;

public sealed partial class SqliteJobStore
{
    public Task<JobRecord?> JobGetAsync(long id, CancellationToken ct = default) =>
        ReadAsync(id, static (session, id) => JobRecordReader.ReadSingle(session.Statement(SqlCatalog.JobGet).Set("@id", id)), ct);

    public Task<IReadOnlyList<JobTimelineEntry>> JobTimelineListAsync(long id, CancellationToken ct = default) =>
        ReadAsync(id, static (session, id) =>
        {
            var entries = new List<JobTimelineEntry>();
            using var r = session.Statement(SqlCatalog.JobTimelineList).Set("@job_id", id).Query();
            while (r.Read())
            {
                entries.Add(new JobTimelineEntry(
                    JobId: r.GetInt64(0),
                    At: UnixMicros.ToTime(r.GetInt64(1)),
                    Kind: r.GetString(2),
                    State: (JobState)r.GetInt32(3),
                    Attempt: r.GetInt32(4),
                    StatusCode: r.IsDBNull(5) ? null : r.GetInt32(5),
                    WorkerId: r.IsDBNull(6) ? null : r.GetString(6),
                    Message: r.IsDBNull(7) ? null : r.GetString(7)));
            }
            return (IReadOnlyList<JobTimelineEntry>)entries;
        }, ct);

    public Task<IReadOnlyList<JobRecord>> JobListAsync(JobListParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (JobListQuery.MatchesNothing(p))
        {
            // Answered without a query that would walk every finished job to find none.
            return Task.FromResult<IReadOnlyList<JobRecord>>([]);
        }
        return ReadAsync(p, static (session, p) => (IReadOnlyList<JobRecord>)JobRecordReader.ReadAll(JobListQuery.Bind(session, p)), ct);
    }

    public Task<IReadOnlyList<JobRecord>> JobLatestPerNameAsync(CancellationToken ct = default) =>
        ReadAsync(0, static (session, _) => (IReadOnlyList<JobRecord>)JobRecordReader.ReadAll(session.Statement(SqlCatalog.JobLatestPerName)), ct);

    public Task<IReadOnlyList<QueueCounts>> QueueCountsListAsync(QueueCountsParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return ReadAsync(p, static (session, p) =>
        {
            var rows = session.Connection.Query<QueueCountsRow>(SqlCatalog.QueueCountsList, new { now = UnixMicros.From(p.Now) });
            return (IReadOnlyList<QueueCounts>)rows.Select(r => new QueueCounts
            {
                Queue = r.Queue,
                Waiting = r.Waiting,
                Active = r.Active,
                Delayed = r.Delayed,
                Completed = r.Completed,
                Failed = r.Failed,
                Cancelled = r.Cancelled,
                Paused = r.Paused != 0,
                OldestWaitingSince = r.OldestWaitingSince is { } oldest ? UnixMicros.ToTime(oldest) : null,
                LastFinishedAt = r.LastFinishedAt is { } last ? UnixMicros.ToTime(last) : null,
            }).ToArray();
        }, ct);
    }

    public Task<DeadLetterCounts> DeadLetterCountsAsync(DeadLetterCountsParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return ReadAsync(p, static (session, p) =>
        {
            // One read transaction: the totals and the breakdowns describe the same moment.
            using var tx = session.Connection.BeginTransaction(deferred: true);
            using var results = session.Connection.QueryMultiple(SqlCatalog.DeadLetterCounts,
                new { recent_since = UnixMicros.From(p.RecentSince) }, tx);
            var totals = results.ReadSingle<DeadLetterTotalsRow>();
            var byQueue = results.Read<CountRow<string>>().ToDictionary(r => r.Key, r => r.Count, StringComparer.Ordinal);
            var byName = results.Read<CountRow<string>>().ToDictionary(r => r.Key, r => r.Count, StringComparer.Ordinal);
            var byCode = results.Read<CountRow<long>>().ToDictionary(r => checked((int)r.Key), r => r.Count);
            tx.Commit();
            return new DeadLetterCounts
            {
                Total = totals.Total,
                Recent = totals.Recent,
                ByQueue = byQueue,
                ByName = byName,
                ByStatusCode = byCode,
                OldestFailedAt = totals.OldestFailedAt is { } oldest ? UnixMicros.ToTime(oldest) : null,
                NewestFailedAt = totals.NewestFailedAt is { } newest ? UnixMicros.ToTime(newest) : null,
            };
        }, ct);
    }

    /// <summary>
    /// Runs a read on a pooled read-only connection. SQLite I/O is synchronous, so the work completes
    /// before returning; failures still surface through the task, as callers of an async API expect.
    /// </summary>
    private Task<TResult> ReadAsync<TState, TResult>(TState state, Func<SqliteSession, TState, TResult> work, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(ct);
        }
        try
        {
            return Task.FromResult(_readers.Run(state, work));
        }
        catch (Exception e)
        {
            return Task.FromException<TResult>(e);
        }
    }

    // Row shapes for Dapper: mutable classes, because Dapper matches constructors by exact column type.
    private sealed class QueueCountsRow
    {
        public string Queue { get; set; } = "";
        public long Waiting { get; set; }
        public long Active { get; set; }
        public long Delayed { get; set; }
        public long Completed { get; set; }
        public long Failed { get; set; }
        public long Cancelled { get; set; }
        public long Paused { get; set; }
        public long? OldestWaitingSince { get; set; }
        public long? LastFinishedAt { get; set; }
    }

    private sealed class DeadLetterTotalsRow
    {
        public long Total { get; set; }
        public long Recent { get; set; }
        public long? OldestFailedAt { get; set; }
        public long? NewestFailedAt { get; set; }
    }

    private sealed class CountRow<TKey> where TKey : notnull
    {
        public TKey Key { get; set; } = default!;
        public long Count { get; set; }
    }
}
