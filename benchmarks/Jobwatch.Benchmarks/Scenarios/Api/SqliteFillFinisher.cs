using System.Globalization;
using Jobwatch.Model;
using Microsoft.Data.Sqlite;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// Seeds a SQLite store (see <see cref="IFillFinisher"/> for why in SQL): one UPDATE per job with the
/// columns the engine's fetch and finish statements set, then the timeline rows they append. The state
/// changes fire the schema's triggers, so queue_finished_counts stays exactly as the engine keeps it.
/// Times are unix microseconds and booleans integers, as in the store.
/// </summary>
public sealed class SqliteFillFinisher : IFillFinisher
{
    private const string Finish = """
        UPDATE jobs
        SET state = @state, run_at = @run_at, created_at = @created_at, started_at = @started_at, finished_at = @finished_at,
            lease_until = @lease_until, worker_id = @worker_id, attempt = @attempt, stalled_count = @stalled_count,
            status_code = @status_code, status_label = @status_label, updated_by = @updated_by, total_items = @total_items,
            items_succeeded = @items_succeeded, items_failed = @items_failed, progress_at = @progress_at,
            last_error = @last_error, last_error_stack = @last_error_stack, result = @result
        WHERE id = @id
        """;

    // The store's insert stamps every created entry with the batch's Now; the job's own creation time replaces it.
    private const string FixCreated = """
        UPDATE job_timeline
        SET at = (SELECT j.created_at FROM jobs AS j WHERE j.id = job_timeline.job_id)
        WHERE job_id BETWEEN @first AND @last AND kind = 'created'
        """;

    private const string Timeline = """
        INSERT INTO job_timeline (job_id, at, kind, state, attempt, status_code, worker_id, message)
        VALUES (@job_id, @at, @kind, @state, @attempt, @status_code, @worker_id, @message)
        """;

    private readonly SqliteConnection _connection;
    private readonly string _path;

    public SqliteFillFinisher(string path)
    {
        _path = path;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        _connection.Open();
        Execute("PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;");
    }

    public Task<FillMarker?> ReadMarkerAsync()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bench_fill'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return Task.FromResult<FillMarker?>(null);
        }
        command.CommandText = "SELECT version, jobs, seed, filled_at, fill_seconds FROM bench_fill";
        using var r = command.ExecuteReader();
        return Task.FromResult(r.Read()
            ? new FillMarker(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture), r.GetDouble(4))
            : null);
    }

    public Task<long> CountJobsAsync()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'jobs'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return Task.FromResult(0L);
        }
        command.CommandText = "SELECT coalesce(max(id), 0) FROM jobs";
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    public Task FinishAsync(IReadOnlyList<long> ids, IReadOnlyList<FilledJob> jobs)
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        using var finish = Prepare(tx, Finish, "@state", "@run_at", "@created_at", "@started_at", "@finished_at", "@lease_until", "@worker_id",
            "@attempt", "@stalled_count", "@status_code", "@status_label", "@updated_by", "@total_items", "@items_succeeded", "@items_failed",
            "@progress_at", "@last_error", "@last_error_stack", "@result", "@id");
        for (var k = 0; k < jobs.Count; k++)
        {
            var j = jobs[k];
            Bind(finish, (int)j.State, Micros(j.RunAt), Micros(j.CreatedAt), Micros(j.StartedAt), Micros(j.FinishedAt), Micros(j.LeaseUntil),
                j.WorkerId, j.Attempt, j.StalledCount, j.StatusCode, j.StatusLabel, j.UpdatedBy, j.TotalItems, j.ItemsSucceeded, j.ItemsFailed,
                Micros(j.ProgressAt), j.LastError, j.LastErrorStack, j.Result, ids[k]);
            finish.ExecuteNonQuery();
        }
        using (var fix = Prepare(tx, FixCreated, "@first", "@last"))
        {
            Bind(fix, ids[0], ids[^1]);
            fix.ExecuteNonQuery();
        }
        using var timeline = Prepare(tx, Timeline, "@job_id", "@at", "@kind", "@state", "@attempt", "@status_code", "@worker_id", "@message");
        for (var k = 0; k < jobs.Count; k++)
        {
            foreach (var e in jobs[k].TimelineAfterCreated(ids[k]))
            {
                Bind(timeline, e.JobId, Micros(e.At), e.Kind, (int)e.State, e.Attempt, e.StatusCode, e.WorkerId, e.Message);
                timeline.ExecuteNonQuery();
            }
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task CompleteAsync(FillMarker marker)
    {
        // No ANALYZE: the store never runs one, so the planner must do without statistics in production too.
        using var tx = _connection.BeginTransaction(deferred: false);
        using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS bench_fill (version INTEGER, jobs INTEGER, seed INTEGER, filled_at TEXT, fill_seconds REAL);
            DELETE FROM bench_fill;
            INSERT INTO bench_fill VALUES (@version, @jobs, @seed, @filled_at, @fill_seconds);
            """;
        command.Parameters.AddWithValue("@version", marker.Version);
        command.Parameters.AddWithValue("@jobs", marker.Jobs);
        command.Parameters.AddWithValue("@seed", marker.Seed);
        command.Parameters.AddWithValue("@filled_at", marker.FilledAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("@fill_seconds", marker.FillSeconds);
        command.ExecuteNonQuery();
        tx.Commit();
        Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        return Task.CompletedTask;
    }

    public Task<double?> SizeMbAsync()
    {
        var bytes = new[] { _path, _path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        return Task.FromResult<double?>(Math.Round(bytes / 1048576.0, 1));
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(SqliteTransaction tx, string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }
        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static long? Micros(DateTimeOffset? time) =>
        time is { } t ? (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond : null;
}
