using Jobwatch.Model;
using Microsoft.Data.Sqlite;

namespace Jobwatch.Process.Tests;

/// <summary>
/// A live worker that loses a lease (a GC pause, a starved CPU, a stopped process) must stop that
/// execution: the job now belongs to whoever fetches it next — possibly the same process.
/// </summary>
public sealed class LostLeaseTests : IAsyncLifetime
{
    private readonly ProcessCluster _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    // Fails until src/Jobwatch/Engine/RunningJobs.cs stops the entry it replaces; un-skip with that fix.
    [Fact]
    public async Task A_worker_that_refetches_its_own_rescued_job_stops_the_stale_execution()
    {
        // A 30 s lease renews every 10 s; rescue runs every 200 ms and wakes this process's own fetcher.
        var a = _cluster.StartWorker("A", "--concurrency", "8", "--lease-ms", "30000", "--rescue-ms", "200", "--sleep-override-ms", "12000");
        await a.WaitReadyAsync();
        var ids = await _cluster.EnqueueAsync(2, sleepMs: 0);
        await _cluster.WaitUntilAsync("A to start both jobs", TimeSpan.FromSeconds(30),
            () => Task.FromResult(_cluster.Ledger().Count == 2));

        // Simulate a lease that ran out while A was alive (as when its renewals are starved).
        await _cluster.WaitUntilAsync("A to rescue its own jobs and fetch them again", TimeSpan.FromSeconds(30), async () =>
        {
            await ExpireLeasesAsync();
            return _cluster.Ledger().Count(e => e.Attempt == 2) == 2;
        }, pollMs: 500);

        await _cluster.WaitUntilAsync("both attempts of both jobs to end and both jobs to complete", TimeSpan.FromSeconds(40),
            async () => LedgerEnd.ReadAll(_cluster.LedgerDir).Count == 4 && (await _cluster.CountsAsync()).Completed == 2);
        var ends = LedgerEnd.ReadAll(_cluster.LedgerDir);
        var stale = ends.Where(e => e.Attempt == 1 && !e.Cancelled).Select(e => e.JobId).ToArray();
        Assert.True(stale.Length == 0,
            $"Attempt 1 of jobs {string.Join(",", stale)} ran to the end alongside attempt 2 in the same process: it was never told it lost its lease.");
        var all = await _cluster.AllJobsAsync();
        Assert.All(all, j => Assert.Equal((JobState.Completed, 2, 1), (j.State, j.Attempt, j.StalledCount)));
        Assert.Equal(ids.Order(), all.Select(j => j.Id).Order());
    }

    private async Task ExpireLeasesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_cluster.DbPath};Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET lease_until = 1 WHERE state = 3 AND attempt = 1";
        await command.ExecuteNonQueryAsync();
    }
}
