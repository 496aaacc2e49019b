using Npgsql;
using NpgsqlTypes;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// Seeds a PostgreSQL store (see <see cref="IFillFinisher"/> for why in SQL): each batch's final rows are
/// COPYed into a temp table and applied with one UPDATE … FROM, and its timeline rows are COPYed
/// straight into job_timeline. Whatever the schema's triggers maintain on a state change, they
/// maintain here too.
/// </summary>
public sealed class PostgresFillFinisher : IFillFinisher
{
    private const string Apply = """
        UPDATE jobs AS j
        SET state = f.state, run_at = f.run_at, created_at = f.created_at, started_at = f.started_at, finished_at = f.finished_at,
            lease_until = f.lease_until, worker_id = f.worker_id, attempt = f.attempt, stalled_count = f.stalled_count,
            status_code = f.status_code, status_label = f.status_label, updated_by = f.updated_by, total_items = f.total_items,
            items_succeeded = f.items_succeeded, items_failed = f.items_failed, progress_at = f.progress_at,
            last_error = f.last_error, last_error_stack = f.last_error_stack, result = f.result
        FROM fill_jobs AS f
        WHERE j.id = f.id;
        -- The store's insert stamps every created entry with the batch's Now; the job's own creation time replaces it.
        UPDATE job_timeline AS t
        SET at = f.created_at
        FROM fill_jobs AS f
        WHERE t.job_id = f.id AND t.kind = 'created';
        """;

    private readonly NpgsqlConnection _connection;
    private readonly string _schema;
    private bool _staged;

    private PostgresFillFinisher(NpgsqlConnection connection, string schema)
    {
        _connection = connection;
        _schema = schema;
    }

    public static async Task<PostgresFillFinisher> OpenAsync(PostgresTarget target)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString) { SearchPath = target.Schema, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return new PostgresFillFinisher(connection, target.Schema);
    }

    public async Task<FillMarker?> ReadMarkerAsync()
    {
        if (!await ExistsAsync("bench_fill"))
        {
            return null;
        }
        await using var command = new NpgsqlCommand("SELECT version, jobs, seed, filled_at, fill_seconds FROM bench_fill", _connection);
        await using var r = await command.ExecuteReaderAsync();
        return await r.ReadAsync()
            ? new FillMarker(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetFieldValue<DateTimeOffset>(3), r.GetDouble(4))
            : null;
    }

    public async Task<long> CountJobsAsync()
    {
        if (!await ExistsAsync("jobs"))
        {
            return 0;
        }
        await using var command = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM jobs", _connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task FinishAsync(IReadOnlyList<long> ids, IReadOnlyList<FilledJob> jobs)
    {
        await using var tx = await _connection.BeginTransactionAsync();
        if (!_staged)
        {
            await ExecuteAsync("""
                CREATE TEMP TABLE fill_jobs (
                    id bigint, state smallint, run_at timestamptz, created_at timestamptz, started_at timestamptz,
                    finished_at timestamptz, lease_until timestamptz, worker_id text, attempt integer, stalled_count integer,
                    status_code integer, status_label text, updated_by text, total_items bigint, items_succeeded bigint,
                    items_failed bigint, progress_at timestamptz, last_error text, last_error_stack text, result text)
                ON COMMIT DELETE ROWS
                """);
            _staged = true;
        }
        await using (var copy = await _connection.BeginBinaryImportAsync("COPY fill_jobs FROM STDIN (FORMAT BINARY)"))
        {
            for (var k = 0; k < jobs.Count; k++)
            {
                var j = jobs[k];
                await copy.StartRowAsync();
                await copy.WriteAsync(ids[k], NpgsqlDbType.Bigint);
                await copy.WriteAsync((short)j.State, NpgsqlDbType.Smallint);
                await copy.WriteAsync(j.RunAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(j.CreatedAt, NpgsqlDbType.TimestampTz);
                await WriteAsync(copy, j.StartedAt);
                await WriteAsync(copy, j.FinishedAt);
                await WriteAsync(copy, j.LeaseUntil);
                await WriteAsync(copy, j.WorkerId);
                await copy.WriteAsync(j.Attempt, NpgsqlDbType.Integer);
                await copy.WriteAsync(j.StalledCount, NpgsqlDbType.Integer);
                await WriteAsync(copy, j.StatusCode);
                await WriteAsync(copy, j.StatusLabel);
                await WriteAsync(copy, j.UpdatedBy);
                await WriteAsync(copy, j.TotalItems);
                await copy.WriteAsync(j.ItemsSucceeded, NpgsqlDbType.Bigint);
                await copy.WriteAsync(j.ItemsFailed, NpgsqlDbType.Bigint);
                await WriteAsync(copy, j.ProgressAt);
                await WriteAsync(copy, j.LastError);
                await WriteAsync(copy, j.LastErrorStack);
                await WriteAsync(copy, j.Result);
            }
            await copy.CompleteAsync();
        }
        await ExecuteAsync(Apply);
        await using (var copy = await _connection.BeginBinaryImportAsync(
            "COPY job_timeline (job_id, at, kind, state, attempt, status_code, worker_id, message) FROM STDIN (FORMAT BINARY)"))
        {
            for (var k = 0; k < jobs.Count; k++)
            {
                foreach (var e in jobs[k].TimelineAfterCreated(ids[k]))
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(e.JobId, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(e.At, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(e.Kind, NpgsqlDbType.Text);
                    await copy.WriteAsync((short)e.State, NpgsqlDbType.Smallint);
                    await copy.WriteAsync(e.Attempt, NpgsqlDbType.Integer);
                    await WriteAsync(copy, e.StatusCode);
                    await WriteAsync(copy, e.WorkerId);
                    await WriteAsync(copy, e.Message);
                }
            }
            await copy.CompleteAsync();
        }
        await tx.CommitAsync();
    }

    public async Task CompleteAsync(FillMarker marker)
    {
        await ExecuteAsync("CREATE TABLE IF NOT EXISTS bench_fill (version integer, jobs integer, seed integer, filled_at timestamptz, fill_seconds double precision)");
        await using (var command = new NpgsqlCommand("DELETE FROM bench_fill; INSERT INTO bench_fill VALUES (@version, @jobs, @seed, @filled_at, @fill_seconds)", _connection))
        {
            command.Parameters.AddWithValue("version", marker.Version);
            command.Parameters.AddWithValue("jobs", marker.Jobs);
            command.Parameters.AddWithValue("seed", marker.Seed);
            command.Parameters.AddWithValue("filled_at", marker.FilledAt);
            command.Parameters.AddWithValue("fill_seconds", marker.FillSeconds);
            await command.ExecuteNonQueryAsync();
        }
        // What autovacuum does to a table that has seen this much change: fresh statistics for the
        // planner, and a visibility map so index-only scans need not visit the heap.
        await ExecuteAsync("VACUUM (ANALYZE) jobs");
        await ExecuteAsync("VACUUM (ANALYZE) job_timeline");
    }

    public async Task<double?> SizeMbAsync()
    {
        await using var command = new NpgsqlCommand(
            "SELECT pg_total_relation_size('jobs') + pg_total_relation_size('job_timeline')", _connection);
        return Math.Round((long)(await command.ExecuteScalarAsync())! / 1048576.0, 1);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<bool> ExistsAsync(string table)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(quote_ident(@schema) || '.' || @table) IS NOT NULL", _connection);
        command.Parameters.AddWithValue("schema", _schema);
        command.Parameters.AddWithValue("table", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, _connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private static Task WriteAsync(NpgsqlBinaryImporter copy, DateTimeOffset? value) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.TimestampTz) : copy.WriteNullAsync();

    private static Task WriteAsync(NpgsqlBinaryImporter copy, string? value) =>
        value is not null ? copy.WriteAsync(value, NpgsqlDbType.Text) : copy.WriteNullAsync();

    private static Task WriteAsync(NpgsqlBinaryImporter copy, int? value) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Integer) : copy.WriteNullAsync();

    private static Task WriteAsync(NpgsqlBinaryImporter copy, long? value) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Bigint) : copy.WriteNullAsync();
}
