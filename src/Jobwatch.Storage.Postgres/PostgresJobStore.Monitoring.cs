using Jobwatch.Model;
using Jobwatch.Storage.Postgres.Internal;

namespace Jobwatch.Storage.Postgres;

public sealed partial class PostgresJobStore
{
    public async Task<JobRecord?> JobGetAsync(long id, CancellationToken ct = default)
    {
        await using var command = Command(SqlCatalog.JobGet).Set("id", id);
        return await JobRecordReader.ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobTimelineEntry>> JobTimelineListAsync(long id, CancellationToken ct = default)
    {
        await using var command = Command(SqlCatalog.JobTimelineList).Set("job_id", id);
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var entries = new List<JobTimelineEntry>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            entries.Add(new JobTimelineEntry(
                JobId: r.GetInt64(0),
                At: JobRecordReader.Time(r, 1),
                Kind: r.GetString(2),
                State: (JobState)r.GetInt16(3),
                Attempt: r.GetInt32(4),
                StatusCode: r.IsDBNull(5) ? null : r.GetInt32(5),
                WorkerId: r.IsDBNull(6) ? null : r.GetString(6),
                Message: r.IsDBNull(7) ? null : r.GetString(7)));
        }
        return entries;
    }

    public async Task<IReadOnlyList<JobRecord>> JobListAsync(JobListParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = JobListQuery.Create(_dataSource, p);
        return await JobRecordReader.ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobRecord>> JobLatestPerNameAsync(CancellationToken ct = default)
    {
        await using var command = Command(SqlCatalog.JobLatestPerName);
        return await JobRecordReader.ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueueCounts>> QueueCountsListAsync(QueueCountsParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.QueueCountsList).Set("now", p.Now);
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var counts = new List<QueueCounts>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            counts.Add(new QueueCounts
            {
                Queue = r.GetString(0),
                Waiting = r.GetInt64(1),
                Active = r.GetInt64(2),
                Delayed = r.GetInt64(3),
                Completed = r.GetInt64(4),
                Failed = r.GetInt64(5),
                Cancelled = r.GetInt64(6),
                Paused = r.GetBoolean(7),
                OldestWaitingSince = JobRecordReader.NullableTime(r, 8),
                LastFinishedAt = JobRecordReader.NullableTime(r, 9),
            });
        }
        return counts;
    }

    public async Task<DeadLetterCounts> DeadLetterCountsAsync(DeadLetterCountsParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.DeadLetterCounts).Set("recent_since", p.RecentSince);
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        long total = 0, recent = 0;
        DateTimeOffset? oldest = null, newest = null;
        var byQueue = new Dictionary<string, long>(StringComparer.Ordinal);
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        var byCode = new Dictionary<int, long>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var count = r.GetInt64(4);
            // GROUPING(queue, name, status_code): a set bit marks a column the row is not grouped by.
            switch (r.GetInt32(0))
            {
                case 0b111:
                    total = count;
                    recent = r.GetInt64(5);
                    oldest = JobRecordReader.NullableTime(r, 6);
                    newest = JobRecordReader.NullableTime(r, 7);
                    break;
                case 0b011:
                    byQueue[r.GetString(1)] = count;
                    break;
                case 0b101:
                    byName[r.GetString(2)] = count;
                    break;
                case 0b110 when !r.IsDBNull(3):
                    byCode[r.GetInt32(3)] = count;
                    break;
            }
        }
        return new DeadLetterCounts
        {
            Total = total,
            Recent = recent,
            ByQueue = byQueue,
            ByName = byName,
            ByStatusCode = byCode,
            OldestFailedAt = oldest,
            NewestFailedAt = newest,
        };
    }
}
