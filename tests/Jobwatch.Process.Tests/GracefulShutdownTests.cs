using Jobwatch.Model;
using Xunit.Abstractions;

namespace Jobwatch.Process.Tests;

/// <summary>SIGTERM, unlike SIGKILL, lets the engine release its jobs: nobody waits for a lease to expire.</summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProcessCluster _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task A_terminated_worker_releases_its_jobs_with_their_attempt_given_back()
    {
        const int jobs = 20;
        // A 30 s lease: if the jobs came back by rescue instead of release, the waits below would run out first.
        var a = _cluster.StartWorker("A", "--concurrency", "8", "--lease-ms", "30000", "--shutdown-ms", "300", "--sleep-override-ms", "60000");
        await a.WaitReadyAsync();
        await _cluster.EnqueueAsync(jobs, sleepMs: 10);
        await _cluster.WaitUntilAsync("A to start 8 jobs", TimeSpan.FromSeconds(30),
            () => Task.FromResult(_cluster.Ledger().Count(e => e.Pid == a.Pid) == 8));
        var held = _cluster.Ledger().Where(e => e.Pid == a.Pid).Select(e => e.JobId).ToHashSet();

        a.Terminate();
        var exit = await a.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"A exited with {exit} after SIGTERM. Output:\n{a.Output}");
        var afterStop = await _cluster.AllJobsAsync();
        Assert.All(afterStop, j =>
        {
            Assert.Equal(JobState.Waiting, j.State);
            Assert.Equal(0, j.Attempt);
            Assert.Equal(0, j.StalledCount);
            Assert.Null(j.WorkerId);
        });

        var b = _cluster.StartWorker("B", "--concurrency", "8");
        await b.WaitReadyAsync();
        await _cluster.WaitUntilAsync($"all {jobs} jobs to complete", TimeSpan.FromSeconds(30),
            async () => (await _cluster.CountsAsync()).Completed == jobs,
            async () => $"Counts: {await _cluster.CountsAsync()}");

        var ledger = _cluster.Ledger();
        var all = await _cluster.AllJobsAsync();
        LedgerAssert.AllCompletedAndAccountedFor(all, ledger, jobs);
        foreach (var job in all)
        {
            var runs = ledger.Where(e => e.JobId == job.Id).OrderBy(e => e.Pid == a.Pid ? 0 : 1).Select(e => (e.Attempt, e.Pid)).ToArray();
            // A released attempt is run again under the same number, by the other process.
            Assert.Equal(held.Contains(job.Id) ? [(1, a.Pid), (1, b.Pid)] : [(1, b.Pid)], runs);
        }
        Assert.Equal(0, (await (await _cluster.MonitorAsync()).GetDeadLetterStatsAsync()).Counts.Total);
        output.WriteLine($"A (pid {a.Pid}) released {string.Join(",", held.Order())}; B (pid {b.Pid}) ran them as attempt 1 again.");
    }
}
