using Xunit.Abstractions;

namespace Jobwatch.Process.Tests;

/// <summary>Two worker processes and an enqueuing process share one SQLite file.</summary>
public sealed class TwoProcessDrainTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProcessCluster _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task Two_workers_drain_one_file_with_every_job_run_exactly_once()
    {
        const int jobs = 3000;
        // Both start on a fresh file at once, so they also race each other's migrations.
        var a = _cluster.StartWorker("A", "--concurrency", "8");
        var b = _cluster.StartWorker("B", "--concurrency", "8");
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());

        await _cluster.EnqueueFromProcessAsync(jobs, sleepMinMs: 0, sleepMaxMs: 2);
        await _cluster.WaitUntilAsync($"all {jobs} jobs to complete", TimeSpan.FromSeconds(120),
            async () => (await _cluster.CountsAsync()).Completed == jobs,
            async () => $"Counts: {await _cluster.CountsAsync()}");

        var ledger = _cluster.Ledger();
        var all = await _cluster.AllJobsAsync();
        LedgerAssert.NoDoubleClaims(ledger);
        LedgerAssert.AllCompletedAndAccountedFor(all, ledger, jobs);
        // Nothing died and leases are the default 30 s: no job may have been rescued and run twice.
        Assert.Equal(jobs, ledger.Count);
        Assert.All(all, j => Assert.Equal(0, j.StalledCount));

        var byA = ledger.Count(e => e.Pid == a.Pid);
        var byB = ledger.Count(e => e.Pid == b.Pid);
        output.WriteLine($"A (pid {a.Pid}) ran {byA}, B (pid {b.Pid}) ran {byB}");
        Assert.True(byA > 0 && byB > 0, $"Both processes should have worked: A ran {byA}, B ran {byB}.");
        Assert.Equal(jobs, byA + byB);
    }
}
