using Jobwatch.Model;
using Jobwatch.StatusCodes;

namespace Jobwatch.Storage.Tests.Conformance;

// JobFinishManyAsync: each outcome, and the (id, worker, attempt, active) guard.
public abstract partial class JobStoreConformanceTests
{
    private static JobProgressUpdate FinalProgress(JobRecord job, string worker = Worker1, DateTimeOffset? at = null) => new()
    {
        JobId = job.Id,
        WorkerId = worker,
        Attempt = job.Attempt,
        TotalItems = 10,
        ItemsSucceeded = 9,
        ItemsFailed = 1,
        CustomProgress = """{"phase":"done"}""",
        UpdatedBy = "tick_handler",
        At = at ?? At(5),
    };

    [Fact]
    public async Task Finish_Complete_CompletesWithCodeResultAndProgress()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store);

        var done = await store.JobFinishManyAsync(new JobFinishManyParams(
            [JobFinish.Complete(job.Id, Worker1, 1, JobStatusCodes.Success, "SUCCESS", """{"synced":9}""", FinalProgress(job), At(5))], At(5)));

        Assert.Equal([job.Id], done);
        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Completed, after.State);
        Assert.Equal(JobStatusCodes.Success, after.StatusCode);
        Assert.Equal("SUCCESS", after.StatusLabel);
        AssertJson("""{"synced":9}""", after.Result);
        AssertTime(At(5), after.FinishedAt);
        Assert.Equal(1, after.Attempt);
        Assert.Equal(10, after.TotalItems);
        Assert.Equal(9, after.ItemsSucceeded);
        Assert.Equal(1, after.ItemsFailed);
        AssertJson("""{"phase":"done"}""", after.CustomProgress);
        Assert.Equal("tick_handler", after.UpdatedBy);

        var last = (await store.JobTimelineListAsync(job.Id))[^1];
        Assert.Equal(JobTimelineKinds.Completed, last.Kind);
        Assert.Equal(JobState.Completed, last.State);
        Assert.Equal(JobStatusCodes.Success, last.StatusCode);
        Assert.Equal(1, last.Attempt);
        AssertTime(At(5), last.At);
    }

    [Fact]
    public async Task Finish_CompleteWithSkipCode_IsCompleted()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store);

        await FinishAsync(store, JobFinish.Complete(job.Id, Worker1, 1, 304, "NOT_MODIFIED", null, null, At(2)));

        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Completed, after.State);
        Assert.Equal(304, after.StatusCode);
        Assert.Equal("NOT_MODIFIED", after.StatusLabel);
    }

    [Fact]
    public async Task Finish_Retry_DelaysUntilRetryAtKeepingTheError()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 3));

        await FinishAsync(store, JobFinish.Retry(job.Id, Worker1, 1, JobStatusCodes.RateLimited, "RATE_LIMITED", "slow down", "at Api.Call()", At(30), FinalProgress(job), At(5)));

        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Delayed, after.State);
        AssertTime(At(30), after.RunAt);
        Assert.Equal(JobStatusCodes.RateLimited, after.StatusCode);
        Assert.Equal("RATE_LIMITED", after.StatusLabel);
        Assert.Equal("slow down", after.LastError);
        Assert.Equal("at Api.Call()", after.LastErrorStack);
        Assert.Equal(1, after.Attempt);
        Assert.Null(after.FinishedAt);
        Assert.Equal(9, after.ItemsSucceeded);

        var last = (await store.JobTimelineListAsync(job.Id))[^1];
        Assert.Equal(JobTimelineKinds.Retrying, last.Kind);
        Assert.Equal(JobState.Delayed, last.State);
        Assert.Equal(JobStatusCodes.RateLimited, last.StatusCode);

        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(now: At(29.999))));
        var again = await FetchOneAsync(store, Worker2, At(30));
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task Finish_DeadLetter_FailsTheJob()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 2));

        await FinishAsync(store, JobFinish.DeadLetter(job.Id, Worker1, 1, 422, "INVALID", "bad input", "at Parse()", FinalProgress(job), At(7)));

        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Failed, after.State);
        Assert.Equal(422, after.StatusCode);
        Assert.Equal("INVALID", after.StatusLabel);
        Assert.Equal("bad input", after.LastError);
        Assert.Equal("at Parse()", after.LastErrorStack);
        AssertTime(At(7), after.FinishedAt);
        Assert.Equal(1, after.Attempt);
        Assert.Equal(9, after.ItemsSucceeded);
        Assert.Equal(1, after.ItemsFailed);

        var last = (await store.JobTimelineListAsync(job.Id))[^1];
        Assert.Equal(JobTimelineKinds.DeadLettered, last.Kind);
        Assert.Equal(JobState.Failed, last.State);
        Assert.Equal(422, last.StatusCode);
        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(now: At(3600))));
    }

    [Fact]
    public async Task Finish_Release_GivesTheAttemptBack()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 3));
        await FinishAsync(store, JobFinish.Retry(job.Id, Worker1, 1, 500, "ERROR", "boom", null, At(10), null, At(1)));
        var second = await FetchOneAsync(store, Worker1, At(10));
        Assert.Equal(2, second.Attempt);

        await FinishAsync(store, JobFinish.Release(job.Id, Worker1, 2, FinalProgress(second, at: At(11)), At(11)));

        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Waiting, after.State);
        Assert.Equal(1, after.Attempt);
        Assert.Null(after.FinishedAt);
        Assert.Equal(9, after.ItemsSucceeded);
        var last = (await store.JobTimelineListAsync(job.Id))[^1];
        Assert.Equal(JobTimelineKinds.Released, last.Kind);
        Assert.Equal(JobState.Waiting, last.State);

        var third = await FetchOneAsync(store, Worker2, At(12));
        Assert.Equal(2, third.Attempt);
        Assert.Equal(Worker2, third.WorkerId);
    }

    [Fact]
    public async Task Finish_AppliesEveryOutcomeOfABatch()
    {
        var store = await CreateStoreAsync();
        var ids = await InsertManyAsync(store, T0, NewJob(maxAttempts: 3), NewJob(maxAttempts: 3), NewJob(maxAttempts: 3), NewJob(maxAttempts: 3));
        var jobs = await store.JobFetchAvailableAsync(Fetch(max: 4));
        Assert.Equal(4, jobs.Count);

        var done = await store.JobFinishManyAsync(new JobFinishManyParams(
        [
            JobFinish.Complete(ids[0], Worker1, 1, 200, "SUCCESS", null, null, At(3)),
            JobFinish.Retry(ids[1], Worker1, 1, 500, "ERROR", "e1", null, At(60), null, At(3)),
            JobFinish.DeadLetter(ids[2], Worker1, 1, 500, "ERROR", "e2", null, null, At(3)),
            JobFinish.Release(ids[3], Worker1, 1, null, At(3)),
        ], At(3)));

        Assert.Equal(ids.Order(), done.Order());
        Assert.Equal(JobState.Completed, (await GetAsync(store, ids[0])).State);
        Assert.Equal(JobState.Delayed, (await GetAsync(store, ids[1])).State);
        Assert.Equal(JobState.Failed, (await GetAsync(store, ids[2])).State);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[3])).State);
    }

    [Fact]
    public async Task Finish_WrongWorker_IsRejectedAndLeavesTheJobUntouched()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, worker: Worker1);

        var done = await store.JobFinishManyAsync(new JobFinishManyParams(
            [JobFinish.Complete(job.Id, Worker2, 1, 200, "SUCCESS", "{}", FinalProgress(job, Worker2), At(2))], At(2)));

        Assert.Empty(done);
        AssertUnchanged(job, await GetAsync(store, job.Id));
        Assert.DoesNotContain(JobTimelineKinds.Completed, await TimelineKindsAsync(store, job.Id));
    }

    [Fact]
    public async Task Finish_WrongAttempt_IsRejectedAndLeavesTheJobUntouched()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 3));
        await FinishAsync(store, JobFinish.Retry(job.Id, Worker1, 1, 500, "ERROR", "boom", null, At(10), null, At(1)));
        var second = await FetchOneAsync(store, Worker1, At(10));

        foreach (var stale in new[]
        {
            JobFinish.Complete(job.Id, Worker1, 1, 200, "SUCCESS", null, null, At(11)),
            JobFinish.DeadLetter(job.Id, Worker1, 3, 500, "ERROR", "x", null, null, At(11)),
            JobFinish.Release(job.Id, Worker1, 1, null, At(11)),
        })
        {
            Assert.Empty(await store.JobFinishManyAsync(new JobFinishManyParams([stale], At(11))));
            AssertUnchanged(second, await GetAsync(store, job.Id));
        }
    }

    [Fact]
    public async Task Finish_JobCancelledMeanwhile_StaysCancelled()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store);
        Assert.Equal(JobActionStatus.Done, (await store.JobCancelAsync(new JobCancelParams(job.Id, At(1), "ops"))).Status);
        var cancelled = await GetAsync(store, job.Id);

        foreach (var late in new[]
        {
            JobFinish.Complete(job.Id, Worker1, 1, 200, "SUCCESS", null, FinalProgress(job), At(2)),
            JobFinish.Retry(job.Id, Worker1, 1, 500, "ERROR", "x", null, At(60), null, At(2)),
            JobFinish.DeadLetter(job.Id, Worker1, 1, 500, "ERROR", "x", null, null, At(2)),
            JobFinish.Release(job.Id, Worker1, 1, null, At(2)),
        })
        {
            Assert.Empty(await store.JobFinishManyAsync(new JobFinishManyParams([late], At(2))));
            var after = await GetAsync(store, job.Id);
            Assert.Equal(JobState.Cancelled, after.State);
            AssertUnchanged(cancelled, after);
        }
    }

    [Fact]
    public async Task Finish_DeletedJob_IsNotReturnedNorRecreated()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store);
        Assert.True(await store.JobDeleteAsync(new JobDeleteParams(job.Id)));

        Assert.Empty(await store.JobFinishManyAsync(new JobFinishManyParams(
            [JobFinish.Complete(job.Id, Worker1, 1, 200, "SUCCESS", null, FinalProgress(job), At(2))], At(2))));
        Assert.Null(await store.JobGetAsync(job.Id));
        Assert.Empty(await store.JobTimelineListAsync(job.Id));
    }

    [Fact]
    public async Task Finish_AlreadyFinishedJob_IsRejected()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store);
        await FinishAsync(store, JobFinish.Complete(job.Id, Worker1, 1, 200, "SUCCESS", null, null, At(2)));
        var completed = await GetAsync(store, job.Id);

        Assert.Empty(await store.JobFinishManyAsync(new JobFinishManyParams(
            [JobFinish.DeadLetter(job.Id, Worker1, 1, 500, "ERROR", "late", null, null, At(3))], At(3))));
        AssertUnchanged(completed, await GetAsync(store, job.Id));
    }

    [Fact]
    public async Task Finish_MixedBatch_ReturnsOnlyTheIdsWhoseGuardHeld()
    {
        var store = await CreateStoreAsync();
        var mine = await InsertActiveAsync(store, worker: Worker1);
        var theirs = await InsertActiveAsync(store, worker: Worker2);
        var cancelled = await InsertActiveAsync(store, worker: Worker1);
        await store.JobCancelAsync(new JobCancelParams(cancelled.Id, At(1)));
        var theirsBefore = await GetAsync(store, theirs.Id);

        var done = await store.JobFinishManyAsync(new JobFinishManyParams(
        [
            JobFinish.Complete(theirs.Id, Worker1, 1, 200, "SUCCESS", null, null, At(2)),
            JobFinish.Complete(mine.Id, Worker1, 1, 200, "SUCCESS", null, null, At(2)),
            JobFinish.Complete(cancelled.Id, Worker1, 1, 200, "SUCCESS", null, null, At(2)),
            JobFinish.Complete(987_654_321, Worker1, 1, 200, "SUCCESS", null, null, At(2)),
        ], At(2)));

        Assert.Equal([mine.Id], done);
        Assert.Equal(JobState.Completed, (await GetAsync(store, mine.Id)).State);
        AssertUnchanged(theirsBefore, await GetAsync(store, theirs.Id));
        Assert.Equal(JobState.Cancelled, (await GetAsync(store, cancelled.Id)).State);
        Assert.Null(await store.JobGetAsync(987_654_321));
    }
}
