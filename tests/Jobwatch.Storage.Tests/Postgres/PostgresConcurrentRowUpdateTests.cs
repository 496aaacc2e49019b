using Jobwatch.Model;
using Jobwatch.Storage.Postgres;
using Npgsql;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>
/// A running job's row is written by several batches of one worker at once: the lease renewal, the progress flush
/// and the outcome writer. Each of them must still apply when another one updated the row and committed while it
/// waited for the row lock. (They once reached the locked row by the ctid it had when locked: that version was
/// newer than the statement's snapshot, so the update matched nothing; the outcome was silently dropped and the
/// job stayed active until its lease ran out, and a missed renewal or progress save cancelled a healthy handler.)
/// </summary>
public sealed class PostgresConcurrentRowUpdateTests : IAsyncLifetime
{
    private const string Worker = "worker-1";
    private static readonly DateTimeOffset T0 = new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private PostgresJobStore _store = null!;
    private long _jobId;

    public async Task InitializeAsync()
    {
        _store = new PostgresJobStore(PostgresTestDatabase.Options(_schema));
        await _store.MigrateAsync();
        await _store.JobInsertManyAsync(new JobInsertManyParams(
            [new JobInsertParams { Queue = "q", Name = "n", Type = "t", Payload = "{}", RunAt = T0 }], T0));
        var fetched = await _store.JobFetchAvailableAsync(new JobFetchParams("q", 1, Worker, T0, T0.AddMinutes(5)));
        _jobId = Assert.Single(fetched).Id;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await PostgresTestDatabase.DropSchemasAsync([_schema]);
    }

    [Fact]
    public async Task A_finish_applies_when_a_lease_renewal_committed_while_it_waited_for_the_row()
    {
        var finish = new JobFinish { Kind = JobFinishKind.Complete, JobId = _jobId, WorkerId = Worker, Attempt = 1, StatusCode = 200, At = T0.AddSeconds(1) };

        var applied = await WhileAnotherUpdateHoldsTheRowAsync("SET lease_until = lease_until + interval '1 minute'",
            () => _store.JobFinishManyAsync(new JobFinishManyParams([finish], T0.AddSeconds(1))));

        Assert.Equal([_jobId], applied);
        var job = await _store.JobGetAsync(_jobId);
        Assert.Equal(JobState.Completed, job!.State);
    }

    [Fact]
    public async Task A_lease_renewal_applies_when_a_progress_save_committed_while_it_waited_for_the_row()
    {
        var renewTo = T0.AddMinutes(30);

        var renewed = await WhileAnotherUpdateHoldsTheRowAsync("SET items_succeeded = 7",
            () => _store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(Worker, [_jobId], renewTo)));

        Assert.Equal([_jobId], renewed);
        var job = await _store.JobGetAsync(_jobId);
        Assert.Equal(renewTo, job!.LeaseUntil);
        Assert.Equal(7, job.ItemsSucceeded);
    }

    [Fact]
    public async Task A_progress_save_applies_when_a_lease_renewal_committed_while_it_waited_for_the_row()
    {
        var update = new JobProgressUpdate { JobId = _jobId, WorkerId = Worker, Attempt = 1, TotalItems = 10, ItemsSucceeded = 4, At = T0.AddSeconds(1) };

        var saved = await WhileAnotherUpdateHoldsTheRowAsync("SET lease_until = lease_until + interval '1 minute'",
            () => _store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([update])));

        Assert.Equal([_jobId], saved);
        var job = await _store.JobGetAsync(_jobId);
        Assert.Equal(10, job!.TotalItems);
        Assert.Equal(4, job.ItemsSucceeded);
    }

    /// <summary>
    /// Updates the job's row in an open transaction, starts <paramref name="operation"/>, waits until it is blocked on
    /// that row lock, commits, and returns what the operation returned.
    /// </summary>
    private async Task<T> WhileAnotherUpdateHoldsTheRowAsync<T>(string set, Func<Task<T>> operation)
    {
        await using var other = new NpgsqlConnection(PostgresTestDatabase.ConnectionString + $";Search Path={_schema}");
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand($"UPDATE jobs {set} WHERE id = @id", other, transaction))
        {
            update.Parameters.AddWithValue("id", _jobId);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var running = operation();
        await WaitUntilBlockedByAsync(other.ProcessID, running);
        await transaction.CommitAsync();
        return await running.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task WaitUntilBlockedByAsync(int holderPid, Task running)
    {
        await using var watcher = new NpgsqlConnection(PostgresTestDatabase.ConnectionString);
        await watcher.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            Assert.False(running.IsCompleted, "the operation finished without waiting for the row lock held by the other transaction");
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE @holder = ANY (pg_blocking_pids(pid))", watcher);
            command.Parameters.AddWithValue("holder", holderPid);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the operation never waited for the row lock");
            await Task.Delay(10);
        }
    }
}
