using Jobwatch.Model;
using Xunit.Abstractions;

namespace Jobwatch.Process.Tests;

/// <summary>
/// Worker processes on one real PostgreSQL database (JOBWATCH_TEST_POSTGRES), each test in a fresh
/// schema dropped at the end, checked against the ledger of every execution. Rescue needs the
/// maintenance leadership, whose lease (LeaderElector.Ttl, 15 s) dominates the waits after a kill.
/// </summary>
public sealed class PostgresProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] WorkerOptions = ["--concurrency", "8", "--lease-ms", "10000", "--rescue-ms", "500"];
    private readonly ProcessCluster _cluster = new(postgres: true);

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task Three_workers_and_a_producer_drain_20000_jobs_through_a_killed_worker()
    {
        const int jobs = 20_000;
        // A and B elect a leader first; C joins later as a follower whose jobs take 50 ms, so at any
        // moment it holds leased jobs: killing it mid-run always leaves work that only a rescue can finish.
        var a = _cluster.StartWorker("A", WorkerOptions);
        var b = _cluster.StartWorker("B", WorkerOptions);
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());
        var leader = await LeaderPidAsync(TimeSpan.FromSeconds(30));
        var victim = _cluster.StartWorker("C", [.. WorkerOptions, "--sleep-override-ms", "50", "--die-after-starts", "200"]);
        await victim.WaitReadyAsync();
        var workers = new[] { a, b, victim };
        Assert.NotEqual(leader, victim.Pid);
        var producer = _cluster.StartEnqueuer(jobs, sleepMinMs: 0, sleepMaxMs: 0, batchSize: 500);

        // C SIGKILLs itself as its 200th handler starts.
        await victim.WaitForSelfKillAsync(TimeSpan.FromSeconds(60));
        var afterKill = await _cluster.CountsAsync();
        Assert.True(afterKill.Completed < jobs, $"Everything finished before the kill ({afterKill}); the test proves nothing.");

        await ProcessCluster.WaitForEnqueuerAsync(producer);
        await _cluster.WaitUntilAsync($"all {jobs} jobs to complete and none to stay active", TimeSpan.FromSeconds(120), async () =>
        {
            var c = await _cluster.CountsAsync();
            return c.Completed == jobs && c.Active == 0;
        }, async () => $"Counts: {await _cluster.CountsAsync()}");

        var ledger = _cluster.Ledger();
        var all = await _cluster.AllJobsAsync();
        LedgerAssert.NoDoubleClaims(ledger);
        LedgerAssert.AllCompletedAndAccountedFor(all, ledger, jobs);
        var rescued = all.Where(j => j.StalledCount > 0).ToArray();
        var wrong = rescued.Where(j => j.StalledCount != 1 || ledger.Single(e => e.JobId == j.Id && e.Attempt == j.Attempt).Pid == victim.Pid)
            .Take(10).Select(j => $"job {j.Id}: attempt {j.Attempt}, stalled {j.StalledCount}").ToArray();
        Assert.True(wrong.Length == 0, $"Rescued jobs must stall once and finish on a survivor: {string.Join("; ", wrong)}");
        Assert.True(rescued.Length > 0, $"{victim.Name} was killed mid-stream yet held no job: nothing was rescued.");
        var deadLetters = await (await _cluster.MonitorAsync()).GetDeadLetterStatsAsync();
        Assert.Equal(0, deadLetters.Counts.Total);
        output.WriteLine($"Killed {victim.Name} (pid {victim.Pid}) at {afterKill}; {rescued.Length} jobs rescued; " +
            string.Join(", ", workers.Select(w => $"{w.Name} ran {ledger.Count(e => e.Pid == w.Pid)}")));
    }

    [Fact]
    public async Task A_killed_leader_is_replaced_and_the_new_leader_rescues_its_jobs()
    {
        // A runs alone first, so it is the leader, and its handlers sleep a minute: what it holds when
        // killed is certainly unfinished and only a new leader's rescue can free it.
        var a = _cluster.StartWorker("A", [.. WorkerOptions, "--sleep-override-ms", "60000"]);
        await a.WaitReadyAsync();
        await LeaderPidAsync(TimeSpan.FromSeconds(30));
        var ids = await _cluster.EnqueueAsync(8, sleepMs: 0);
        await _cluster.WaitUntilAsync("A to start all 8 jobs", TimeSpan.FromSeconds(30),
            () => Task.FromResult(_cluster.Ledger().Count(e => e.Pid == a.Pid) == 8));
        var b = _cluster.StartWorker("B", WorkerOptions);
        var c = _cluster.StartWorker("C", WorkerOptions);
        await Task.WhenAll(b.WaitReadyAsync(), c.WaitReadyAsync());

        var leaderId = await PostgresTestServer.MaintenanceLeaderAsync(_cluster.Schema);
        Assert.NotNull(leaderId);
        var workers = new[] { a, b, c };
        var leader = workers.SingleOrDefault(w => w.Pid == PostgresTestServer.PidOf(leaderId));
        Assert.True(leader is not null, $"The leader {leaderId} is none of the worker processes ({string.Join(", ", workers.Select(w => w.Pid))}).");
        leader.Kill();

        string? successor = null;
        await _cluster.WaitUntilAsync("another process to take the maintenance leadership", TimeSpan.FromSeconds(60), async () =>
        {
            successor = await PostgresTestServer.MaintenanceLeaderAsync(_cluster.Schema);
            return successor is not null && successor != leaderId;
        }, () => Task.FromResult($"Leader: {successor}"), pollMs: 500);
        var survivors = workers.Where(w => w != leader).Select(w => w.Pid).ToArray();
        Assert.Contains(PostgresTestServer.PidOf(successor!), survivors);

        await _cluster.WaitUntilAsync("the dead leader's jobs to be rescued and completed", TimeSpan.FromSeconds(60),
            async () => (await _cluster.CountsAsync()).Completed == ids.Count,
            async () => $"Counts: {await _cluster.CountsAsync()}");
        var ledger = _cluster.Ledger();
        var all = await _cluster.AllJobsAsync();
        LedgerAssert.NoDoubleClaims(ledger);
        LedgerAssert.AllCompletedAndAccountedFor(all, ledger, ids.Count);
        Assert.All(all, j => Assert.Equal((2, 1), (j.Attempt, j.StalledCount)));
        Assert.All(all, j => Assert.Contains(ledger.Single(e => e.JobId == j.Id && e.Attempt == 2).Pid, survivors));
        var deadLetters = await (await _cluster.MonitorAsync()).GetDeadLetterStatsAsync();
        Assert.Equal(0, deadLetters.Counts.Total);
        output.WriteLine($"Leader {leaderId} ({leader.Name}) killed; {successor} took over.");
    }

    [Fact]
    public async Task Workers_ride_out_a_database_restart_without_losing_or_double_running_a_job()
    {
        const int jobs = 3000;
        var workers = new[] { "A", "B" }.Select(n => _cluster.StartWorker(n, WorkerOptions)).ToArray();
        await Task.WhenAll(workers.Select(w => w.WaitReadyAsync()));
        await _cluster.EnqueueAsync(jobs, sleepMs: 2);
        await _cluster.WaitUntilAsync("the workers to be 500 jobs in", TimeSpan.FromSeconds(60),
            () => Task.FromResult(_cluster.Ledger().Count >= 500), pollMs: 20);

        var restart = await PostgresTestServer.RestartImmediateAsync();
        var startedBeforeRestart = _cluster.Ledger().Count;
        // The restart broke this process's pooled connections too.
        await _cluster.ResetServicesAsync();
        Assert.True(startedBeforeRestart < jobs, $"All jobs had started before the restart; the test proves nothing.");

        await _cluster.WaitUntilAsync($"all {jobs} jobs to complete and none to stay active", TimeSpan.FromSeconds(120), async () =>
        {
            var c = await _cluster.CountsAsync();
            return c.Completed == jobs && c.Active == 0;
        }, async () => $"Counts: {await _cluster.CountsAsync()}");

        Assert.All(workers, w => Assert.False(w.HasExited, $"{w.Name} exited after the restart:\n{w.Output}"));
        var ledger = _cluster.Ledger();
        var all = await _cluster.AllJobsAsync();
        LedgerAssert.NoDoubleClaims(ledger);
        LedgerAssert.AllCompletedAndAccountedFor(all, ledger, jobs);
        var deadLetters = await (await _cluster.MonitorAsync()).GetDeadLetterStatsAsync();
        Assert.Equal(0, deadLetters.Counts.Total);
        output.WriteLine($"Restarted after {startedBeforeRestart} starts ({restart.Trim()}); {ledger.Count} executions, " +
            $"{all.Count(j => j.StalledCount > 0)} jobs rescued.");
    }

    private async Task<int> LeaderPidAsync(TimeSpan timeout)
    {
        string? id = null;
        await _cluster.WaitUntilAsync("a maintenance leader to be elected", timeout, async () =>
        {
            id = await PostgresTestServer.MaintenanceLeaderAsync(_cluster.Schema);
            return id is not null;
        }, pollMs: 200);
        return PostgresTestServer.PidOf(id!);
    }
}
