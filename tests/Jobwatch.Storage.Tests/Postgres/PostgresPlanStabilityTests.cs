using Jobwatch.Storage.Postgres;
using Npgsql;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>
/// The statements every running job passes through must not depend on fresh statistics. A queue table's state
/// distribution changes faster than autovacuum analyses it: right after a burst of enqueues it is analysed with no
/// job running, and a statement filtering on "state = 3" may then scan the partial lease index (every running
/// job) once per row of its batch. That made each finish batch take ~300 ms instead of ~15 ms in the benchmark,
/// a 5× slower drain. These tests recreate those statistics and EXPLAIN exactly what the store sends.
/// </summary>
public sealed class PostgresPlanStabilityTests : IAsyncLifetime
{
    private const string Worker = "worker-1";
    private static readonly DateTimeOffset T0 = new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private PostgresJobStore _store = null!;
    private IReadOnlyList<long> _running = [];

    public async Task InitializeAsync()
    {
        _store = new PostgresJobStore(PostgresTestDatabase.Options(_schema));
        await _store.MigrateAsync();
        var jobs = Enumerable.Range(0, 3_000)
            .Select(i => new JobInsertParams { Queue = "q", Name = "n", Type = "t", Payload = "{}", RunAt = T0 })
            .ToArray();
        await _store.JobInsertManyAsync(new JobInsertManyParams(jobs, T0));
        await ExecuteAsync("ANALYZE jobs"); // nothing runs yet: the statistics say no job is in state 3
        var fetched = await _store.JobFetchAvailableAsync(new JobFetchParams("q", 500, Worker, T0, T0.AddMinutes(5)));
        _running = fetched.Select(j => j.Id).ToArray();
        Assert.Equal(500, _running.Count);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await PostgresTestDatabase.DropSchemasAsync([_schema]);
    }

    [Fact]
    public async Task Finishing_a_batch_never_scans_the_lease_index()
    {
        var finishes = _running.Select(id => new JobFinish { Kind = JobFinishKind.Complete, JobId = id, WorkerId = Worker, Attempt = 1, At = T0.AddSeconds(1) }).ToArray();
        await using var command = _store.FinishCommand(new JobFinishManyParams(finishes, T0.AddSeconds(1)));

        var plan = await ExplainAsync(command);

        Assert.DoesNotContain("ix_jobs_lease", plan);
        AssertInputReadOnce(plan, "input");
        Assert.Equal(500, (await _store.JobFinishManyAsync(new JobFinishManyParams(finishes, T0.AddSeconds(1)))).Count);
    }

    [Fact]
    public async Task Saving_progress_never_scans_the_lease_index()
    {
        var updates = _running.Select(id => new JobProgressUpdate { JobId = id, WorkerId = Worker, Attempt = 1, TotalItems = 10, ItemsSucceeded = 3, At = T0.AddSeconds(1) }).ToArray();
        await using var command = _store.ProgressSaveCommand(new JobProgressSaveManyParams(updates));

        var plan = await ExplainAsync(command);

        Assert.DoesNotContain("ix_jobs_lease", plan);
        AssertInputReadOnce(plan, "u");
        Assert.Equal(_running, await _store.JobProgressSaveManyAsync(new JobProgressSaveManyParams(updates)));
    }

    [Fact]
    public async Task Renewing_leases_never_scans_the_lease_index()
    {
        var renew = new JobLeaseRenewParams(Worker, _running, T0.AddMinutes(10));
        await using var command = _store.LeaseRenewCommand(renew);

        var plan = await ExplainAsync(command);

        Assert.DoesNotContain("ix_jobs_lease", plan);
        Assert.Equal(_running, await _store.JobLeaseRenewManyAsync(renew));
    }

    /// <summary>
    /// The update takes each row's values from the locked set instead of joining the batch's input a second time:
    /// once the statement is prepared, a generic plan guesses ten input rows and joined that second copy by a nested
    /// loop, comparing every row with every row (100 ms for a 425-job batch, a 4x slower drain).
    /// </summary>
    private static void AssertInputReadOnce(string plan, string cte)
    {
        // The input is the unnest() of the parameters (a function scan), read directly or through its CTE.
        var reads = plan.Split('\n').Count(l => l.Contains($"CTE Scan on {cte} ", StringComparison.Ordinal) || l.Contains("Function Scan on ", StringComparison.Ordinal));
        Assert.True(reads == 1, $"the batch input \"{cte}\" is read {reads} times:\n{plan}");
    }

    private async Task<string> ExplainAsync(NpgsqlCommand command)
    {
        command.CommandText = "EXPLAIN " + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionString + $";Search Path={_schema}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
