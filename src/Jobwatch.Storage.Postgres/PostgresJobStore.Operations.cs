using Jobwatch.Storage.Postgres.Internal;
using Npgsql;

namespace Jobwatch.Storage.Postgres;

public sealed partial class PostgresJobStore
{
    public async Task<JobActionResult> JobRetryAsync(JobRetryParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.JobRetry)
            .Set("id", p.Id)
            .Set("now", p.Now)
            .Set("message", ByMessage(p.By))
            .Set("channel", _factory.JobsChannel);
        return await ReadActionResultAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<long>> JobRetryManyAsync(JobRetryManyParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Limit <= 0)
        {
            return [];
        }
        await using var command = Command(SqlCatalog.JobRetryMany)
            .Set("now", p.Now)
            .Set("queue", p.Queue)
            .Set("name", p.Name)
            .Set("status_code", p.StatusCode)
            .Set("failed_after", p.FailedAfter)
            .Set("failed_before", p.FailedBefore)
            .Set("limit", p.Limit)
            .Set("message", ByMessage(p.By))
            .Set("channel", _factory.JobsChannel);
        return await ReadIdsAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<JobActionResult> JobCancelAsync(JobCancelParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.JobCancel)
            .Set("id", p.Id)
            .Set("now", p.Now)
            .Set("message", ByMessage(p.By));
        return await ReadActionResultAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<bool> JobDeleteAsync(JobDeleteParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.JobDelete).Set("id", p.Id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    public async Task QueueSetPausedAsync(QueueSetPausedParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.QueueSetPaused)
            .Set("name", p.Queue)
            .Set("paused", p.Paused)
            .Set("now", p.Now)
            .Set("channel", _factory.JobsChannel);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the one row of a guarded action (JobRetry.sql, JobCancel.sql): the job after the action
    /// with done = true, the job as it is with done = false, or no row when it does not exist.
    /// </summary>
    private static async Task<JobActionResult> ReadActionResultAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return JobActionResult.NotFound;
        }
        var job = new JobRecordReader(reader).Read(reader);
        return reader.GetBoolean(reader.GetOrdinal("done")) ? JobActionResult.Done(job) : JobActionResult.NotAllowed(job);
    }

    private static string? ByMessage(string? by) => string.IsNullOrEmpty(by) ? null : $"by {by}";
}
