using Jobwatch.Model;

namespace Jobwatch.Storage.Tests.Conformance;

// JobLeaseRenewManyAsync and JobProgressSaveManyAsync: what a running worker or reporter writes.
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task LeaseRenew_ReturnsOnlyActiveJobsOwnedByTheWorker()
    {
        var store = await CreateStoreAsync();
        var owned = await InsertActiveAsync(store, worker: Worker1);
        var others = await InsertActiveAsync(store, worker: Worker2);
        var cancelled = await InsertActiveAsync(store, worker: Worker1);
        await store.JobCancelAsync(new JobCancelParams(cancelled.Id, At(1)));
        var completed = await InsertCompletedAsync(store);
        var deleted = await InsertActiveAsync(store, worker: Worker1);
        await store.JobDeleteAsync(new JobDeleteParams(deleted.Id));
        var waiting = await InsertAsync(store, NewJob());
        var othersBefore = await GetAsync(store, others.Id);

        var renewed = await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(Worker1,
            [owned.Id, others.Id, cancelled.Id, completed.Id, deleted.Id, waiting, 987_654_321], At(90)));

        Assert.Equal([owned.Id], renewed);
        AssertTime(At(90), (await GetAsync(store, owned.Id)).LeaseUntil);
        AssertUnchanged(othersBefore, await GetAsync(store, others.Id));
        Assert.Equal(JobState.Cancelled, (await GetAsync(store, cancelled.Id)).State);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, waiting)).State);
    }

    [Fact]
    public async Task LeaseRenew_RenewsEveryListedJobAndKeepsThemActive()
    {
        var store = await CreateStoreAsync();
        await InsertManyAsync(store, T0, NewJob(), NewJob(), NewJob());
        var jobs = await store.JobFetchAvailableAsync(Fetch(max: 3));

        var renewed = await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(Worker1, jobs.Select(j => j.Id).ToArray(), At(100)));

        Assert.Equal(jobs.Select(j => j.Id).Order(), renewed.Order());
        foreach (var job in jobs)
        {
            var after = await GetAsync(store, job.Id);
            Assert.Equal(JobState.Active, after.State);
            Assert.Equal(1, after.Attempt);
            AssertTime(At(100), after.LeaseUntil);
        }
        // The renewed lease protects the jobs from the rescuer until it expires.
        Assert.Empty(await store.JobRescueExpiredAsync(Rescue(At(99))));
    }

    [Fact]
    public async Task LeaseRenew_LostAfterRescue()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 3));
        Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(31))));

        Assert.Empty(await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(Worker1, [job.Id], At(100))));
        Assert.Equal(JobState.Waiting, (await GetAsync(store, job.Id)).State);
    }

    [Fact]
    public async Task LeaseRenew_WorksForExternalRunOwner()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun(owner: "reporter-1"));

        Assert.Empty(await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams("reporter-2", [run.Id], At(300))));
        Assert.Equal([run.Id], await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams("reporter-1", [run.Id], At(300))));
        AssertTime(At(300), (await GetAsync(store, run.Id)).LeaseUntil);
    }

    private static JobProgressUpdate Progress(JobRecord job, string? worker = null, int? attempt = null, DateTimeOffset? at = null) => new()
    {
        JobId = job.Id,
        WorkerId = worker ?? job.WorkerId!,
        Attempt = attempt ?? job.Attempt,
        TotalItems = 1_000,
        ItemsSucceeded = 420,
        ItemsFailed = 7,
        ReportedPercent = 42.7,
        CustomProgress = """{"stage":"load","page":3}""",
        UpdatedBy = "sync_handler",
        At = at ?? At(3),
    };

    [Fact]
    public async Task ProgressSave_StoresEveryField()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store);

        var saved = await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([Progress(job)]));

        Assert.Equal([job.Id], saved);
        var after = await GetAsync(store, job.Id);
        Assert.Equal(1_000, after.TotalItems);
        Assert.Equal(420, after.ItemsSucceeded);
        Assert.Equal(7, after.ItemsFailed);
        Assert.Equal(427, after.ItemsProcessed);
        Assert.NotNull(after.ReportedPercent);
        Assert.Equal(42.7, after.ReportedPercent.Value, 6);
        AssertJson("""{"stage":"load","page":3}""", after.CustomProgress);
        Assert.Equal("sync_handler", after.UpdatedBy);
        AssertTime(At(3), after.ProgressAt);
        Assert.Equal(JobState.Active, after.State);
        AssertTime(job.LeaseUntil!.Value, after.LeaseUntil);
    }

    [Fact]
    public async Task ProgressSave_ValuesAreAbsolute_TheLatestWins()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store);
        var update = Progress(job);

        await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([update]));
        await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([update]));
        await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([update with { ItemsSucceeded = 500, ItemsFailed = 8, At = At(4) }]));

        var after = await GetAsync(store, job.Id);
        Assert.Equal(500, after.ItemsSucceeded);
        Assert.Equal(8, after.ItemsFailed);
        AssertTime(At(4), after.ProgressAt);
    }

    [Fact]
    public async Task ProgressSave_IsGuardedByWorkerAttemptAndActiveState()
    {
        var store = await CreateStoreAsync();
        var current = await InsertActiveAsync(store, NewJob("current"), Worker1);
        var stolen = await InsertActiveAsync(store, NewJob("stolen"), Worker2);
        var stale = await InsertActiveAsync(store, NewJob("stale"), Worker1);
        var finished = await InsertActiveAsync(store, NewJob("finished"), Worker1);
        await FinishAsync(store, JobFinish.Complete(finished.Id, Worker1, 1, 200, "SUCCESS", null, null, At(1)));
        var cancelled = await InsertActiveAsync(store, NewJob("cancelled"), Worker1);
        await store.JobCancelAsync(new JobCancelParams(cancelled.Id, At(1)));
        var before = new Dictionary<long, JobRecord>();
        foreach (var id in new[] { stolen.Id, stale.Id, finished.Id, cancelled.Id })
            before[id] = await GetAsync(store, id);

        var saved = await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams(
        [
            Progress(current, Worker1),
            Progress(stolen, Worker1),           // wrong worker
            Progress(stale, Worker1, attempt: 2), // wrong attempt
            Progress(finished, Worker1),         // no longer active
            Progress(cancelled, Worker1),        // cancelled meanwhile
            Progress(current with { Id = 987_654_321 }, Worker1),
        ]));

        Assert.Equal([current.Id], saved);
        Assert.Equal(420, (await GetAsync(store, current.Id)).ItemsSucceeded);
        foreach (var (id, job) in before)
        {
            var after = await GetAsync(store, id);
            AssertUnchanged(job, after);
            Assert.Equal(job.ProgressAt, after.ProgressAt);
            Assert.Equal(job.CustomProgress, after.CustomProgress);
        }
    }

    [Fact]
    public async Task ProgressSave_LeaseUntilExtendsAnExternalRunsLease()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun(owner: "reporter-1"));

        var saved = await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams(
            [Progress(run, "reporter-1") with { LeaseUntil = At(600) }]));

        Assert.Equal([run.Id], saved);
        AssertTime(At(600), (await GetAsync(store, run.Id)).LeaseUntil);
        Assert.Empty(await store.JobRescueExpiredAsync(Rescue(At(599))));

        // Without LeaseUntil the lease is left alone.
        await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams([Progress(run, "reporter-1", at: At(10))]));
        AssertTime(At(600), (await GetAsync(store, run.Id)).LeaseUntil);
    }

    [Fact]
    public async Task ProgressSave_ManyJobsInOneCall()
    {
        var store = await CreateStoreAsync();
        await InsertManyAsync(store, T0, NewJob(), NewJob(), NewJob());
        var jobs = await store.JobFetchAvailableAsync(Fetch(max: 3));

        var saved = await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams(
            jobs.Select((j, i) => Progress(j) with { ItemsSucceeded = 10 * (i + 1) }).ToArray()));

        Assert.Equal(jobs.Select(j => j.Id).Order(), saved.Order());
        for (var i = 0; i < jobs.Count; i++)
            Assert.Equal(10 * (i + 1), (await GetAsync(store, jobs[i].Id)).ItemsSucceeded);
    }
}
