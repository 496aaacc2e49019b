using Jobwatch.Model;
using Jobwatch.StatusCodes;

namespace Jobwatch.Storage.Tests.Conformance;

// JobRescueExpiredAsync and JobPromoteDueAsync: the leader's maintenance duties.
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Rescue_RequeuesAWorkerJobWhoseLeaseExpired()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 3)); // lease until At(30)

        var rescued = Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(31))));

        Assert.Equal(RescueOutcome.Requeued, rescued.Outcome);
        Assert.Equal(job.Id, rescued.Job.Id);
        Assert.Equal(JobState.Waiting, rescued.Job.State);
        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Waiting, after.State);
        Assert.Equal(1, after.StalledCount);
        Assert.Equal(1, after.Attempt);
        Assert.Null(after.FinishedAt);
        var last = (await store.JobTimelineListAsync(job.Id))[^1];
        Assert.Equal(JobTimelineKinds.Stalled, last.Kind);
        Assert.Equal(JobState.Waiting, last.State);
        AssertTime(At(31), last.At);

        Assert.Empty(await store.JobRescueExpiredAsync(Rescue(At(32))));
        var again = await FetchOneAsync(store, Worker2, At(33));
        Assert.Equal(2, again.Attempt);
        Assert.Equal(1, again.StalledCount);
    }

    [Fact]
    public async Task Rescue_LeavesUnexpiredLeasesAndInactiveJobsAlone()
    {
        var store = await CreateStoreAsync();
        var active = await InsertActiveAsync(store, NewJob(maxAttempts: 3)); // lease until At(30)
        var run = await store.RunStartAsync(NewRun()); // lease until At(30)
        await InsertCompletedAsync(store);
        await InsertFailedAsync(store);
        await InsertCancelledAsync(store);
        await InsertAsync(store, NewJob(runAt: At(-100)), At(-100));
        await InsertAsync(store, NewJob(runAt: At(5)));

        Assert.Empty(await store.JobRescueExpiredAsync(Rescue(At(29.999))));
        AssertUnchanged(active, await GetAsync(store, active.Id));
        Assert.Equal(JobState.Active, (await GetAsync(store, run.Id)).State);

        var rescued = await store.JobRescueExpiredAsync(Rescue(At(3600)));
        Assert.Equal(new[] { active.Id, run.Id }.Order(), rescued.Select(r => r.Job.Id).Order());
    }

    [Fact]
    public async Task Rescue_DeadLettersOnceStalledCountExceedsMax()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 10));

        var first = Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(31), maxStalledCount: 1)));
        Assert.Equal(RescueOutcome.Requeued, first.Outcome);
        await FetchOneAsync(store, Worker2, At(40)); // lease until At(70)

        var second = Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(71), maxStalledCount: 1)));

        Assert.Equal(RescueOutcome.DeadLettered, second.Outcome);
        Assert.Equal(JobState.Failed, second.Job.State);
        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Failed, after.State);
        Assert.Equal(2, after.StalledCount);
        Assert.Equal(JobStatusCodes.Stalled, after.StatusCode);
        Assert.Equal(StalledLabel, after.StatusLabel);
        AssertTime(At(71), after.FinishedAt);
        var kinds = await TimelineKindsAsync(store, job.Id);
        Assert.Equal([JobTimelineKinds.Stalled, JobTimelineKinds.DeadLettered], kinds.TakeLast(2));
        Assert.Equal(2, kinds.Count(k => k == JobTimelineKinds.Stalled));
        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(now: At(80))));
    }

    [Fact]
    public async Task Rescue_MaxStalledCountZero_DeadLettersOnTheFirstStall()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 10));

        var rescued = Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(31), maxStalledCount: 0)));

        Assert.Equal(RescueOutcome.DeadLettered, rescued.Outcome);
        Assert.Equal(JobState.Failed, (await GetAsync(store, job.Id)).State);
    }

    [Fact]
    public async Task Rescue_DeadLettersWhenAttemptsAreSpent()
    {
        var store = await CreateStoreAsync();
        var single = await InsertActiveAsync(store, NewJob("single", maxAttempts: 1));
        var twice = await InsertActiveAsync(store, NewJob("twice", maxAttempts: 2));

        var rescued = await store.JobRescueExpiredAsync(Rescue(At(31), maxStalledCount: 5));
        Assert.Equal(RescueOutcome.DeadLettered, rescued.Single(r => r.Job.Id == single.Id).Outcome);
        Assert.Equal(RescueOutcome.Requeued, rescued.Single(r => r.Job.Id == twice.Id).Outcome);
        var failed = await GetAsync(store, single.Id);
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(JobStatusCodes.Stalled, failed.StatusCode);
        Assert.Equal([JobTimelineKinds.Stalled, JobTimelineKinds.DeadLettered], (await TimelineKindsAsync(store, single.Id)).TakeLast(2));

        var secondAttempt = await FetchOneAsync(store, Worker2, At(40));
        Assert.Equal(2, secondAttempt.Attempt);
        var last = Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(71), maxStalledCount: 5)));
        Assert.Equal(RescueOutcome.DeadLettered, last.Outcome);
        Assert.Equal(JobState.Failed, (await GetAsync(store, twice.Id)).State);
    }

    [Fact]
    public async Task Rescue_ExternalRunFailsWithTheStalledCode()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun()); // lease until At(30)

        var rescued = Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(31), maxStalledCount: 5)));

        Assert.Equal(RescueOutcome.RunStalled, rescued.Outcome);
        Assert.Equal(run.Id, rescued.Job.Id);
        var after = await GetAsync(store, run.Id);
        Assert.Equal(JobState.Failed, after.State);
        Assert.Equal(JobStatusCodes.Stalled, after.StatusCode);
        Assert.Equal(StalledLabel, after.StatusLabel);
        Assert.Equal(1, after.StalledCount);
        AssertTime(At(31), after.FinishedAt);
        Assert.Contains(JobTimelineKinds.Stalled, await TimelineKindsAsync(store, run.Id));
        // The silent reporter cannot revive it.
        Assert.Empty(await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(run.WorkerId!, [run.Id], At(90))));
    }

    [Fact]
    public async Task Rescue_StaleWorkerCannotFinishTheRescuedJob()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 3), Worker1);
        await store.JobRescueExpiredAsync(Rescue(At(31)));
        var retaken = await FetchOneAsync(store, Worker2, At(32));

        Assert.Empty(await store.JobFinishManyAsync(new JobFinishManyParams(
            [JobFinish.Complete(job.Id, Worker1, 1, 200, "SUCCESS", null, null, At(33))], At(33))));
        Assert.Empty(await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams(
            [new JobProgressUpdate { JobId = job.Id, WorkerId = Worker1, Attempt = 1, ItemsSucceeded = 5, At = At(33) }])));
        AssertUnchanged(retaken, await GetAsync(store, job.Id));

        await FinishAsync(store, JobFinish.Complete(job.Id, Worker2, 2, 200, "SUCCESS", null, null, At(34)));
        Assert.Equal(JobState.Completed, (await GetAsync(store, job.Id)).State);
    }

    [Fact]
    public async Task Rescue_HonoursLimit()
    {
        var store = await CreateStoreAsync();
        await InsertManyAsync(store, T0, NewJob(maxAttempts: 3), NewJob(maxAttempts: 3), NewJob(maxAttempts: 3));
        Assert.Equal(3, (await store.JobFetchAvailableAsync(Fetch(max: 3))).Count);

        Assert.Equal(2, (await store.JobRescueExpiredAsync(Rescue(At(31), limit: 2))).Count);
        Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(31), limit: 2)));
        Assert.Empty(await store.JobRescueExpiredAsync(Rescue(At(31), limit: 2)));
    }

    [Fact]
    public async Task Promote_MovesDueDelayedJobsToWaiting()
    {
        var store = await CreateStoreAsync();
        var ids = await InsertManyAsync(store, T0,
            NewJob(runAt: At(10)), NewJob(runAt: At(20)), NewJob(runAt: At(30)), NewJob(runAt: T0));
        var active = await InsertActiveAsync(store, NewJob(queue: "other"));

        Assert.Equal(2, await store.JobPromoteDueAsync(new JobPromoteParams(At(25))));

        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[0])).State);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[1])).State);
        Assert.Equal(JobState.Delayed, (await GetAsync(store, ids[2])).State);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[3])).State);
        Assert.Equal(JobState.Active, (await GetAsync(store, active.Id)).State);
        Assert.Equal(0, await store.JobPromoteDueAsync(new JobPromoteParams(At(25))));
        Assert.Equal(1, await store.JobPromoteDueAsync(new JobPromoteParams(At(31))));
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[2])).State);
    }

    [Fact]
    public async Task Promote_HonoursLimit()
    {
        var store = await CreateStoreAsync();
        var ids = await InsertManyAsync(store, T0, Enumerable.Range(1, 5).Select(i => NewJob(runAt: At(i))).ToArray());

        Assert.Equal(3, await store.JobPromoteDueAsync(new JobPromoteParams(At(60), Limit: 3)));
        Assert.Equal(2, await store.JobPromoteDueAsync(new JobPromoteParams(At(60), Limit: 3)));
        foreach (var id in ids)
            Assert.Equal(JobState.Waiting, (await GetAsync(store, id)).State);
    }
}
