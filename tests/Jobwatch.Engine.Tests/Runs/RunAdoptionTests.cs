using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Model;
using Jobwatch.Runs;

namespace Jobwatch.Engine.Tests.Runs;

/// <summary>
/// A run started through one process and reported to another (two nodes behind a load balancer, or one server after
/// a restart): the process that receives the report adopts the run, and the old holder is fenced out.
/// </summary>
public class RunAdoptionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_run_started_on_one_host_is_reported_and_completed_through_another()
    {
        await using var a = await EngineHost.StartAsync(output, _ => { });
        await using var b = await EngineHost.StartAsync(output, _ => { }, dbPath: a.DbPath);

        var started = await a.Runs.StartAsync(new RunOptions { Name = "nightly_import", TotalItems = 100 });
        started.ItemSucceeded(30);
        started.ItemFailed(2);
        started.ReportCustom(new { stage = "copy" });
        await a.Flusher.FlushAsync(CancellationToken.None);

        var found = await b.Runs.FindAsync(started.Id);

        Assert.Equal(RunLookupStatus.Held, found.Status);
        var run = Assert.IsType<JobRun>(found.Run);
        Assert.NotEqual(started.Job.WorkerId, run.Job.WorkerId);
        Assert.StartsWith(b.WorkerId, run.Job.WorkerId);
        // Seeded with what A had saved, so B's reports add to it.
        Assert.Equal(30, run.Progress.ItemsSucceeded);
        Assert.Equal(2, run.Progress.ItemsFailed);
        Assert.Equal(100, run.Progress.TotalItems);
        Assert.Equal(1, b.Runs is RunReporter rb ? rb.HeldCount : -1);
        Assert.Contains(JobTimelineKinds.Adopted, await b.TimelineKindsAsync(started.Id));

        run.ItemSucceeded(50);
        run.ItemFailed(3);
        await run.CompleteAsync();

        var job = await b.GetRequiredAsync(started.Id);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(80, job.ItemsSucceeded);
        Assert.Equal(5, job.ItemsFailed);
        Assert.Equal(100, job.TotalItems);
        AssertJsonHas(job.CustomProgress, "copy");

        // A, which still held its copy, is told the run ended and forgets it.
        var onA = await a.Runs.FindAsync(started.Id);
        Assert.Equal(RunLookupStatus.Ended, onA.Status);
        Assert.Equal(0, ((RunReporter)a.Runs).HeldCount);
        Assert.False(a.Running.TryGet(started.Id, out _));
    }

    [Fact]
    public async Task The_old_holder_drops_the_run_when_its_flush_is_refused_and_cannot_finish_it()
    {
        await using var a = await EngineHost.StartAsync(output, _ => { });
        await using var b = await EngineHost.StartAsync(output, _ => { }, dbPath: a.DbPath);
        var onA = await a.Runs.StartAsync(new RunOptions { Name = "sync" });

        var onB = (await b.Runs.FindAsync(onA.Id)).Run!;
        onB.ItemSucceeded(7);

        // A late report on A: its flush no longer matches the owner, so A lets go of the run.
        onA.ItemSucceeded(1000);
        await a.Flusher.FlushAsync(CancellationToken.None);
        Assert.False(a.Running.TryGet(onA.Id, out _));
        Assert.Equal(0, ((RunReporter)a.Runs).HeldCount);
        await Assert.ThrowsAsync<InvalidOperationException>(() => onA.CompleteAsync());

        await b.Flusher.FlushAsync(CancellationToken.None);
        var job = await b.GetRequiredAsync(onA.Id);
        Assert.Equal(JobState.Active, job.State);
        Assert.Equal(7, job.ItemsSucceeded);
        Assert.Equal(onB.Job.WorkerId, job.WorkerId);
        await onB.CompleteAsync();
        Assert.Equal(JobState.Completed, (await b.GetRequiredAsync(onA.Id)).State);
    }

    [Fact]
    public async Task Two_hosts_adopting_at_once_agree_on_one_owner()
    {
        await using var a = await EngineHost.StartAsync(output, _ => { });
        await using var b = await EngineHost.StartAsync(output, _ => { }, dbPath: a.DbPath);
        await using var c = await EngineHost.StartAsync(output, _ => { }, dbPath: a.DbPath);
        var started = await a.Runs.StartAsync(new RunOptions { Name = "contested" });

        var lookups = await Task.WhenAll(b.Runs.FindAsync(started.Id), c.Runs.FindAsync(started.Id), b.Runs.FindAsync(started.Id));

        // Every lookup is answered (adopted, or re-adopted from the winner); storage names exactly one current owner.
        Assert.All(lookups, l => Assert.True(l.Status is RunLookupStatus.Held or RunLookupStatus.HeldElsewhere, l.Status.ToString()));
        var owner = (await a.GetRequiredAsync(started.Id)).WorkerId;
        var holders = new[] { b, c }.Where(h => ((RunReporter)h.Runs).HeldCount == 1 && h.Running.TryGet(started.Id, out var r) && r.Job.WorkerId == owner).ToArray();
        Assert.Single(holders);
    }

    private static void AssertJsonHas(string? json, string value)
    {
        Assert.NotNull(json);
        Assert.Contains(value, json, StringComparison.Ordinal);
    }
}
