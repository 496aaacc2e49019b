using Jobwatch.Model;
using Jobwatch.StatusCodes;

namespace Jobwatch.Storage.Tests.Conformance;

// JobRetryAsync, JobRetryManyAsync, JobCancelAsync, JobDeleteAsync.
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Retry_FailedJob_ReturnsToWaitingWithAFreshRound()
    {
        var store = await CreateStoreAsync();
        var failed = await InsertFailedAsync(store, NewJob(maxAttempts: 1), error: "boom");
        Assert.Equal(JobState.Failed, failed.State);

        var result = await store.JobRetryAsync(new JobRetryParams(failed.Id, At(100), "ops"));

        Assert.Equal(JobActionStatus.Done, result.Status);
        Assert.NotNull(result.Job);
        Assert.Equal(failed.Id, result.Job.Id);
        Assert.Equal(JobState.Waiting, result.Job.State);
        var after = await GetAsync(store, failed.Id);
        Assert.Equal(JobState.Waiting, after.State);
        Assert.Equal(0, after.Attempt);
        Assert.Equal(0, after.StalledCount);
        Assert.Equal("boom", after.LastError);
        var last = (await store.JobTimelineListAsync(failed.Id))[^1];
        Assert.Equal(JobTimelineKinds.Retried, last.Kind);
        Assert.Equal(JobState.Waiting, last.State);

        var again = await FetchOneAsync(store, Worker2, At(100));
        Assert.Equal(1, again.Attempt);
    }

    [Fact]
    public async Task Retry_ResetsTheStalledCount()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 1));
        Assert.Equal(RescueOutcome.DeadLettered, Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(31)))).Outcome);
        Assert.Equal(1, (await GetAsync(store, job.Id)).StalledCount);

        Assert.Equal(JobActionStatus.Done, (await store.JobRetryAsync(new JobRetryParams(job.Id, At(40)))).Status);

        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Waiting, after.State);
        Assert.Equal(0, after.StalledCount);
        Assert.Equal(0, after.Attempt);
    }

    [Fact]
    public async Task Retry_CancelledJob_ReturnsToWaiting()
    {
        var store = await CreateStoreAsync();
        var cancelled = await InsertCancelledAsync(store);

        var result = await store.JobRetryAsync(new JobRetryParams(cancelled.Id, At(10)));

        Assert.Equal(JobActionStatus.Done, result.Status);
        var after = await GetAsync(store, cancelled.Id);
        Assert.Equal(JobState.Waiting, after.State);
        Assert.Equal(0, after.Attempt);
        Assert.Equal(cancelled.Id, (await FetchOneAsync(store, now: At(10))).Id);
    }

    [Theory]
    [InlineData(JobState.Waiting)]
    [InlineData(JobState.Delayed)]
    [InlineData(JobState.Active)]
    [InlineData(JobState.Completed)]
    public async Task Retry_FromAnotherState_IsNotAllowedAndChangesNothing(JobState state)
    {
        var store = await CreateStoreAsync();
        var job = await InsertInStateAsync(store, state);

        var result = await store.JobRetryAsync(new JobRetryParams(job.Id, At(100)));

        Assert.Equal(JobActionStatus.NotAllowed, result.Status);
        Assert.NotNull(result.Job);
        Assert.Equal(job.Id, result.Job.Id);
        Assert.Equal(state, result.Job.State);
        AssertUnchanged(job, await GetAsync(store, job.Id));
    }

    [Fact]
    public async Task Retry_FailedExternalRun_IsNotAllowed()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun());
        await store.JobRescueExpiredAsync(Rescue(At(31)));
        var failed = await GetAsync(store, run.Id);
        Assert.Equal(JobState.Failed, failed.State);

        var result = await store.JobRetryAsync(new JobRetryParams(run.Id, At(40)));

        Assert.Equal(JobActionStatus.NotAllowed, result.Status);
        AssertUnchanged(failed, await GetAsync(store, run.Id));
    }

    [Fact]
    public async Task Retry_UnknownJob_IsNotFound()
    {
        var store = await CreateStoreAsync();
        var result = await store.JobRetryAsync(new JobRetryParams(987_654_321, T0));
        Assert.Equal(JobActionStatus.NotFound, result.Status);
        Assert.Null(result.Job);
    }

    /// <summary>Four failed worker jobs, plus jobs RetryMany must never touch.</summary>
    private async Task<(IJobStore Store, Dictionary<string, long> Ids)> SeedDeadLettersAsync()
    {
        var store = await CreateStoreAsync();
        var ids = new Dictionary<string, long>
        {
            ["f1"] = (await InsertFailedAsync(store, NewJob("n1", "a"), statusCode: 500, failedAt: At(10))).Id,
            ["f2"] = (await InsertFailedAsync(store, NewJob("n2", "a"), statusCode: 429, failedAt: At(20))).Id,
            ["f3"] = (await InsertFailedAsync(store, NewJob("n1", "b"), statusCode: 500, failedAt: At(30))).Id,
            ["f4"] = (await InsertFailedAsync(store, NewJob("n2", "b"), statusCode: 404, failedAt: At(40))).Id,
            ["cancelled"] = (await InsertCancelledAsync(store, NewJob("n1", "a"))).Id,
            ["completed"] = (await InsertCompletedAsync(store, NewJob("n1", "a"))).Id,
        };
        var run = await store.RunStartAsync(NewRun("n1", queue: "a", now: At(1)));
        Assert.Equal(RescueOutcome.RunStalled, Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(32)))).Outcome);
        ids["external"] = run.Id;
        return (store, ids);
    }

    [Theory]
    [InlineData("all", "f1,f2,f3,f4")]
    [InlineData("queue", "f1,f2")]
    [InlineData("name", "f1,f3")]
    [InlineData("status", "f1,f3")]
    [InlineData("after", "f3,f4")]
    [InlineData("before", "f1,f2")]
    [InlineData("between", "f2,f3")]
    [InlineData("queue+name", "f4")]
    [InlineData("none-match", "")]
    public async Task RetryMany_RetriesFailedWorkerJobsMatchingTheFilter(string filter, string expected)
    {
        var (store, ids) = await SeedDeadLettersAsync();
        var p = new JobRetryManyParams { Now = At(100), By = "ops" };
        p = filter switch
        {
            "all" => p,
            "queue" => p with { Queue = "a" },
            "name" => p with { Name = "n1" },
            "status" => p with { StatusCode = 500 },
            "after" => p with { FailedAfter = At(25) },
            "before" => p with { FailedBefore = At(25) },
            "between" => p with { FailedAfter = At(15), FailedBefore = At(35) },
            "queue+name" => p with { Queue = "b", Name = "n2" },
            "none-match" => p with { Queue = "a", StatusCode = 404 },
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
        var before = new Dictionary<string, JobRecord>();
        foreach (var (key, id) in ids)
            before[key] = await GetAsync(store, id);

        var retried = await store.JobRetryManyAsync(p);

        var expectedKeys = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expectedKeys.Select(k => ids[k]).Order(), retried.Order());
        foreach (var (key, id) in ids)
        {
            var after = await GetAsync(store, id);
            if (expectedKeys.Contains(key))
            {
                Assert.Equal(JobState.Waiting, after.State);
                Assert.Equal(0, after.Attempt);
                Assert.Equal(0, after.StalledCount);
                Assert.Equal(JobTimelineKinds.Retried, (await TimelineKindsAsync(store, id))[^1]);
            }
            else
            {
                AssertUnchanged(before[key], after);
            }
        }
    }

    [Fact]
    public async Task RetryMany_HonoursLimit()
    {
        var (store, ids) = await SeedDeadLettersAsync();

        var first = await store.JobRetryManyAsync(new JobRetryManyParams { Now = At(100), Limit = 3 });
        var second = await store.JobRetryManyAsync(new JobRetryManyParams { Now = At(100), Limit = 3 });

        Assert.Equal(3, first.Count);
        Assert.Single(second);
        Assert.Equal(new[] { ids["f1"], ids["f2"], ids["f3"], ids["f4"] }.Order(), first.Concat(second).Order());
        Assert.Empty(await store.JobRetryManyAsync(new JobRetryManyParams { Now = At(100), Limit = 3 }));
    }

    [Theory]
    [InlineData(JobState.Waiting)]
    [InlineData(JobState.Delayed)]
    [InlineData(JobState.Active)]
    public async Task Cancel_UnfinishedJob_IsCancelled(JobState state)
    {
        var store = await CreateStoreAsync();
        var job = await InsertInStateAsync(store, state);

        var result = await store.JobCancelAsync(new JobCancelParams(job.Id, At(50), "ops"));

        Assert.Equal(JobActionStatus.Done, result.Status);
        Assert.NotNull(result.Job);
        Assert.Equal(JobState.Cancelled, result.Job.State);
        var after = await GetAsync(store, job.Id);
        Assert.Equal(JobState.Cancelled, after.State);
        AssertTime(At(50), after.FinishedAt);
        var last = (await store.JobTimelineListAsync(job.Id))[^1];
        Assert.Equal(JobTimelineKinds.Cancelled, last.Kind);
        Assert.Equal(JobState.Cancelled, last.State);
        AssertTime(At(50), last.At);
        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(now: At(3600))));
    }

    [Fact]
    public async Task Cancel_ActiveJob_WorkerNoticesAtItsNextRenewal()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, worker: Worker1);
        Assert.Equal([job.Id], await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(Worker1, [job.Id], At(40))));

        await store.JobCancelAsync(new JobCancelParams(job.Id, At(41)));

        Assert.Empty(await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(Worker1, [job.Id], At(70))));
        Assert.Empty(await store.JobRescueExpiredAsync(Rescue(At(3600))));
        Assert.Equal(JobState.Cancelled, (await GetAsync(store, job.Id)).State);
    }

    [Fact]
    public async Task Cancel_ExternalRun_IsCancelled()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun());

        Assert.Equal(JobActionStatus.Done, (await store.JobCancelAsync(new JobCancelParams(run.Id, At(5)))).Status);
        Assert.Equal(JobState.Cancelled, (await GetAsync(store, run.Id)).State);
    }

    [Theory]
    [InlineData(JobState.Completed)]
    [InlineData(JobState.Failed)]
    [InlineData(JobState.Cancelled)]
    public async Task Cancel_FinishedJob_IsNotAllowedAndChangesNothing(JobState state)
    {
        var store = await CreateStoreAsync();
        var job = await InsertInStateAsync(store, state);
        var timeline = await TimelineKindsAsync(store, job.Id);

        var result = await store.JobCancelAsync(new JobCancelParams(job.Id, At(500)));

        Assert.Equal(JobActionStatus.NotAllowed, result.Status);
        Assert.NotNull(result.Job);
        Assert.Equal(state, result.Job.State);
        AssertUnchanged(job, await GetAsync(store, job.Id));
        Assert.Equal(timeline, await TimelineKindsAsync(store, job.Id));
    }

    [Fact]
    public async Task Cancel_UnknownJob_IsNotFound()
    {
        var store = await CreateStoreAsync();
        var result = await store.JobCancelAsync(new JobCancelParams(987_654_321, T0));
        Assert.Equal(JobActionStatus.NotFound, result.Status);
        Assert.Null(result.Job);
    }

    [Fact]
    public async Task Delete_RemovesTheJobAndItsTimelineOnly()
    {
        var store = await CreateStoreAsync();
        var doomed = await InsertCompletedAsync(store);
        var kept = await InsertCompletedAsync(store);
        Assert.NotEmpty(await store.JobTimelineListAsync(doomed.Id));

        Assert.True(await store.JobDeleteAsync(new JobDeleteParams(doomed.Id)));

        Assert.Null(await store.JobGetAsync(doomed.Id));
        Assert.Empty(await store.JobTimelineListAsync(doomed.Id));
        Assert.DoesNotContain(await store.JobListAsync(new JobListParams { Limit = 100 }), j => j.Id == doomed.Id);
        Assert.Equal(3, (await store.JobTimelineListAsync(kept.Id)).Count);
        Assert.False(await store.JobDeleteAsync(new JobDeleteParams(doomed.Id)));
    }

    [Fact]
    public async Task Delete_UnknownJob_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        Assert.False(await store.JobDeleteAsync(new JobDeleteParams(987_654_321)));
    }

    [Fact]
    public async Task Delete_ActiveJob_WorkerLosesIt()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store);

        Assert.True(await store.JobDeleteAsync(new JobDeleteParams(job.Id)));

        Assert.Empty(await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(Worker1, [job.Id], At(60))));
        Assert.Empty(await store.JobRescueExpiredAsync(Rescue(At(3600))));
    }
}
