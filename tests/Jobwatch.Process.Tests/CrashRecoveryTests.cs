using Jobwatch.Model;
using Xunit.Abstractions;

namespace Jobwatch.Process.Tests;

/// <summary>
/// A worker process is killed with SIGKILL (no shutdown, no release, no resignation); another takes
/// over. Leadership (and so rescue) passes to the survivor only after the dead node's leadership lease
/// runs out (LeaderElector.Ttl, 15 s), so the waits allow for that.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Leadership (15 s) dominates the time to rescue, so a 10 s lease costs nothing. A 2 s lease did:
    // a cold worker starved of CPU missed its first renewal and rescued its own live jobs.
    private static readonly string[] WorkerOptions = ["--concurrency", "8", "--lease-ms", "10000", "--rescue-ms", "500"];
    private readonly ProcessCluster _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task Jobs_held_by_a_killed_worker_are_rescued_and_run_again_by_the_survivor()
    {
        const int jobs = 20;
        // A's handlers would sleep a minute: whatever A holds when killed is certainly unfinished.
        var a = _cluster.StartWorker("A", [.. WorkerOptions, "--sleep-override-ms", "60000"]);
        await a.WaitReadyAsync();
        var ids = await _cluster.EnqueueAsync(jobs, sleepMs: 10);

        await _cluster.WaitUntilAsync("A to start 8 jobs (its concurrency)", TimeSpan.FromSeconds(30),
            () => Task.FromResult(_cluster.Ledger().Count(e => e.Pid == a.Pid) == 8));
        a.Kill();

        // With A dead nothing changes the store until B starts: what A leased is frozen here (the jobs
        // it started, plus any it leased ahead without starting).
        var held = (await _cluster.AllJobsAsync()).Where(j => j.State == JobState.Active && OwnedBy(j, a)).Select(j => j.Id).ToHashSet();
        var started = _cluster.Ledger().Where(e => e.Pid == a.Pid).Select(e => e.JobId).ToHashSet();
        Assert.True(started.IsSubsetOf(held), $"A started {string.Join(",", started.Order())} but the store shows it leasing {string.Join(",", held.Order())}.");

        var b = _cluster.StartWorker("B", WorkerOptions);
        await b.WaitReadyAsync();

        await _cluster.WaitUntilAsync($"all {jobs} jobs to complete after A was killed", TimeSpan.FromSeconds(90),
            async () => (await _cluster.CountsAsync()).Completed == jobs,
            async () => $"Counts: {await _cluster.CountsAsync()}");

        var ledger = _cluster.Ledger();
        var all = await _cluster.AllJobsAsync();
        LedgerAssert.NoDoubleClaims(ledger);
        LedgerAssert.AllCompletedAndAccountedFor(all, ledger, jobs);
        Assert.Equal(ids.Order(), all.Select(j => j.Id).Order());

        foreach (var job in all)
        {
            var runs = ledger.Where(e => e.JobId == job.Id).OrderBy(e => e.Attempt).Select(e => (e.Attempt, e.Pid)).ToArray();
            if (held.Contains(job.Id))
            {
                Assert.Equal(started.Contains(job.Id) ? [(1, a.Pid), (2, b.Pid)] : [(2, b.Pid)], runs);
                Assert.Equal(1, job.StalledCount);
                var detail = await (await _cluster.MonitorAsync()).GetJobAsync(job.Id);
                Assert.Equal(1, detail!.View.Job.StalledCount);
            }
            else
            {
                Assert.Equal([(1, b.Pid)], runs);
                Assert.Equal(0, job.StalledCount);
            }
        }
        var deadLetters = await (await _cluster.MonitorAsync()).GetDeadLetterStatsAsync();
        Assert.Equal(0, deadLetters.Counts.Total);
        output.WriteLine($"A (pid {a.Pid}) held {string.Join(",", held.Order())} and had started {started.Count}; B (pid {b.Pid}) ran them again as attempt 2.");
    }

    [Fact]
    public async Task A_worker_killed_mid_stream_of_completions_leaves_no_job_active_or_lost()
    {
        const int jobs = 5000;
        // No-op jobs: A is always committing a batch of outcomes, so its self-kill (SIGKILL as its 300th
        // handler starts) lands among them however fast or slow the machine is.
        var a = _cluster.StartWorker("A", [.. WorkerOptions, "--die-after-starts", "300"]);
        await a.WaitReadyAsync();
        await _cluster.EnqueueAsync(jobs, sleepMs: 0);
        await a.WaitForSelfKillAsync(TimeSpan.FromSeconds(60));
        var startedByA = _cluster.Ledger().Count;
        var afterKill = await _cluster.CountsAsync();
        Assert.True(afterKill.Completed < jobs, $"A finished everything before it was killed ({afterKill}); the test proves nothing.");

        var b = _cluster.StartWorker("B", WorkerOptions);
        await b.WaitReadyAsync();
        await _cluster.WaitUntilAsync($"all {jobs} jobs to complete and none to stay active", TimeSpan.FromSeconds(90), async () =>
        {
            var c = await _cluster.CountsAsync();
            return c.Completed == jobs && c.Active == 0;
        }, async () => $"Counts: {await _cluster.CountsAsync()}");

        var ledger = _cluster.Ledger();
        var all = await _cluster.AllJobsAsync();
        LedgerAssert.NoDoubleClaims(ledger);
        LedgerAssert.AllCompletedAndAccountedFor(all, ledger, jobs);
        var rescued = all.Where(j => j.StalledCount > 0).ToArray();
        // Only jobs A had leased can have stalled, once each, and their last attempt ran on B.
        var wrong = rescued.Where(j => j.StalledCount != 1 || ledger.Single(e => e.JobId == j.Id && e.Attempt == j.Attempt).Pid != b.Pid)
            .Select(j => $"job {j.Id}: stalled {j.StalledCount}, runs {string.Join(" ", ledger.Where(e => e.JobId == j.Id).Select(e => $"{e.Attempt}@{(e.Pid == a.Pid ? "A" : "B")}"))}")
            .ToArray();
        Assert.True(wrong.Length == 0, $"Rescued jobs should have stalled once (A's lease) and been finished by B: {string.Join("; ", wrong)}\n{_cluster.Outputs()}");
        var deadLetters = await (await _cluster.MonitorAsync()).GetDeadLetterStatsAsync();
        Assert.Equal(0, deadLetters.Counts.Total);
        output.WriteLine($"A started {startedByA} before the kill (store then: {afterKill}); {rescued.Length} jobs were rescued and rerun by B.");
    }

    private static bool OwnedBy(JobRecord job, WorkerProcess worker) =>
        job.WorkerId is { } id && id.Contains($":{worker.Pid}:", StringComparison.Ordinal);
}
