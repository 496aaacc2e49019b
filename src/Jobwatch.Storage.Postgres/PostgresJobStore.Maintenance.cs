using Jobwatch.Storage.Postgres.Internal;

namespace Jobwatch.Storage.Postgres;

public sealed partial class PostgresJobStore
{
    public async Task<IReadOnlyList<RescuedJob>> JobRescueExpiredAsync(JobRescueParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Limit <= 0)
        {
            return [];
        }
        await using var command = Command(SqlCatalog.JobRescueExpired)
            .Set("now", p.Now)
            .Set("limit", p.Limit)
            .Set("max_stalled_count", p.MaxStalledCount)
            .Set("status_code", p.StalledCode)
            .Set("status_label", p.StalledLabel)
            .Set("channel", _factory.JobsChannel);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rescued = new List<RescuedJob>();
        JobRecordReader? map = null;
        var outcome = -1;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            if (map is null)
            {
                map = new JobRecordReader(reader);
                outcome = reader.GetOrdinal("outcome");
            }
            var kind = reader.GetInt32(outcome) switch
            {
                0 => RescueOutcome.Requeued,
                1 => RescueOutcome.DeadLettered,
                _ => RescueOutcome.RunStalled,
            };
            rescued.Add(new RescuedJob(map.Read(reader), kind));
        }
        return rescued;
    }

    public async Task<int> JobPromoteDueAsync(JobPromoteParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Limit <= 0)
        {
            return 0;
        }
        await using var command = Command(SqlCatalog.JobPromoteDue)
            .Set("now", p.Now)
            .Set("limit", p.Limit)
            .Set("channel", _factory.JobsChannel);
        var promoted = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return Convert.ToInt32(promoted, System.Globalization.CultureInfo.InvariantCulture);
    }
}
