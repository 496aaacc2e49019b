using Jobwatch.Model;
using Jobwatch.StatusCodes;

namespace Jobwatch.Storage.Tests.Conformance;

/// <summary><see cref="IJobStore.RunAdoptAsync"/>: another server takes over an active external run, and the old owner is fenced out.</summary>
public abstract partial class JobStoreConformanceTests
{
    private static RunAdoptParams Adopt(JobRecord seen, string newOwner, string? expectedOwner = null, int? expectedAttempt = null, DateTimeOffset? now = null) => new()
    {
        Id = seen.Id,
        ExpectedWorkerId = expectedOwner ?? seen.WorkerId!,
        ExpectedAttempt = expectedAttempt ?? seen.Attempt,
        NewOwnerId = newOwner,
        Now = now ?? At(10),
        LeaseUntil = (now ?? At(10)) + LeaseDuration,
    };

    private static JobProgressUpdate RunProgress(JobRecord run, string owner, long succeeded, DateTimeOffset at) => new()
    {
        JobId = run.Id,
        WorkerId = owner,
        Attempt = run.Attempt,
        TotalItems = 100,
        ItemsSucceeded = succeeded,
        ItemsFailed = 1,
        ReportedPercent = 12.5,
        CustomProgress = """{"stage":"copy"}""",
        At = at,
        LeaseUntil = at + LeaseDuration,
    };

    [Fact]
    public async Task RunAdopt_TakesOverAnActiveRunAndKeepsItsProgress()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun(owner: "node-a:run"));
        await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([RunProgress(run, "node-a:run", 40, At(5))]));

        var adopted = await store.RunAdoptAsync(Adopt(run, "node-b:run:1", now: At(10)));

        Assert.NotNull(adopted);
        Assert.Equal(run.Id, adopted.Id);
        Assert.Equal(JobState.Active, adopted.State);
        Assert.Equal("node-b:run:1", adopted.WorkerId);
        Assert.Equal(run.Attempt, adopted.Attempt);
        AssertTime(At(10) + LeaseDuration, adopted.LeaseUntil);
        AssertTime(At(10), adopted.ProgressAt);
        // The progress saved by the old owner is what the new owner continues from.
        Assert.Equal(100, adopted.TotalItems);
        Assert.Equal(40, adopted.ItemsSucceeded);
        Assert.Equal(1, adopted.ItemsFailed);
        Assert.Equal(12.5, adopted.ReportedPercent);
        AssertJson("""{"stage":"copy"}""", adopted.CustomProgress);
        Assert.Equal("node-b:run:1", (await GetAsync(store, run.Id)).WorkerId);

        var last = (await store.JobTimelineListAsync(run.Id))[^1];
        Assert.Equal(JobTimelineKinds.Adopted, last.Kind);
        Assert.Equal(JobState.Active, last.State);
        Assert.Equal("node-b:run:1", last.WorkerId);
        Assert.Equal(run.Attempt, last.Attempt);
        AssertTime(At(10), last.At);
        Assert.Equal([JobTimelineKinds.Created, JobTimelineKinds.Started, JobTimelineKinds.Adopted], await TimelineKindsAsync(store, run.Id));
    }

    [Fact]
    public async Task RunAdopt_SucceedsOnceForTheSameExpectedOwner()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun(owner: "node-a:run"));

        Assert.NotNull(await store.RunAdoptAsync(Adopt(run, "node-b:run:1")));
        // A second server that also read "owned by node-a" loses: the guard no longer matches.
        Assert.Null(await store.RunAdoptAsync(Adopt(run, "node-c:run:1")));
        Assert.Equal("node-b:run:1", (await GetAsync(store, run.Id)).WorkerId);
        // With the current owner as the expectation it can be adopted again.
        Assert.NotNull(await store.RunAdoptAsync(Adopt(run, "node-c:run:2", expectedOwner: "node-b:run:1", now: At(20))));
        Assert.Equal(2, (await TimelineKindsAsync(store, run.Id)).Count(k => k == JobTimelineKinds.Adopted));
    }

    [Fact]
    public async Task RunAdopt_WrongAttemptIsRefused()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun(owner: "node-a:run"));

        Assert.Null(await store.RunAdoptAsync(Adopt(run, "node-b:run:1", expectedAttempt: run.Attempt + 1)));
        Assert.Equal("node-a:run", (await GetAsync(store, run.Id)).WorkerId);
        Assert.DoesNotContain(JobTimelineKinds.Adopted, await TimelineKindsAsync(store, run.Id));
    }

    [Fact]
    public async Task RunAdopt_FencesOutTheOldOwnersProgressAndOutcome()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun(owner: "node-a:run"));
        var adopted = await store.RunAdoptAsync(Adopt(run, "node-b:run:1"));
        Assert.NotNull(adopted);

        Assert.Empty(await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([RunProgress(run, "node-a:run", 99, At(11))])));
        Assert.Empty(await store.JobFinishManyAsync(new JobFinishManyParams(
            [JobFinish.Complete(run.Id, "node-a:run", run.Attempt, JobStatusCodes.Success, "SUCCESS", null, null, At(12))], At(12))));
        Assert.Empty(await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams("node-a:run", [run.Id], At(300))));
        var still = await GetAsync(store, run.Id);
        Assert.Equal(JobState.Active, still.State);
        Assert.Equal(0, still.ItemsSucceeded);

        // The new owner's reports and outcome are taken.
        Assert.Equal([run.Id], await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([RunProgress(adopted, "node-b:run:1", 60, At(13))])));
        await FinishAsync(store, JobFinish.Complete(run.Id, "node-b:run:1", adopted.Attempt, JobStatusCodes.Success, "SUCCESS", null, null, At(14)));
        var done = await GetAsync(store, run.Id);
        Assert.Equal(JobState.Completed, done.State);
        Assert.Equal(60, done.ItemsSucceeded);
    }

    [Fact]
    public async Task RunAdopt_RefusesAnEndedRun()
    {
        var store = await CreateStoreAsync();
        var completed = await store.RunStartAsync(NewRun(owner: "node-a:run"));
        await FinishAsync(store, JobFinish.Complete(completed.Id, "node-a:run", completed.Attempt, JobStatusCodes.Success, "SUCCESS", null, null, At(1)));
        var stalled = await store.RunStartAsync(NewRun(owner: "node-a:run"));
        Assert.Contains(stalled.Id, (await store.JobRescueExpiredAsync(Rescue(At(100)))).Select(r => r.Job.Id));
        var cancelled = await store.RunStartAsync(NewRun(owner: "node-a:run", now: At(200)));
        Assert.Equal(JobActionStatus.Done, (await store.JobCancelAsync(new JobCancelParams(cancelled.Id, At(201)))).Status);

        foreach (var run in new[] { completed, stalled, cancelled })
        {
            Assert.Null(await store.RunAdoptAsync(Adopt(run, "node-b:run:1", now: At(300))));
            var after = await GetAsync(store, run.Id);
            Assert.NotEqual(JobState.Active, after.State);
            Assert.NotEqual("node-b:run:1", after.WorkerId);
        }
    }

    [Fact]
    public async Task RunAdopt_RefusesAQueuedJobAndAMissingId()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, worker: Worker1);

        Assert.Null(await store.RunAdoptAsync(Adopt(job, "node-b:run:1")));
        Assert.Equal(Worker1, (await GetAsync(store, job.Id)).WorkerId);
        Assert.Null(await store.RunAdoptAsync(Adopt(job with { Id = job.Id + 1000 }, "node-b:run:1")));
    }
}
