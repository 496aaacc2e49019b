using Jobwatch.Model;

namespace Jobwatch.Storage.Tests.Conformance;

// JobGetAsync, JobTimelineListAsync, JobLatestPerNameAsync, QueueCountsListAsync, DeadLetterCountsAsync, MigrateAsync, Name.
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Store_HasAName()
    {
        var store = await CreateStoreAsync();
        Assert.False(string.IsNullOrWhiteSpace(store.Name));
    }

    [Fact]
    public async Task Migrate_AgainIsHarmlessAndKeepsData()
    {
        var store = await CreateStoreAsync();
        var id = await InsertAsync(store, NewJob(payload: """{"keep":true}"""));
        await store.QueueSetPausedAsync(new QueueSetPausedParams("paused", true, T0));

        await store.MigrateAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => store.MigrateAsync())));

        AssertJson("""{"keep":true}""", (await GetAsync(store, id)).Payload);
        Assert.Single(await store.JobTimelineListAsync(id));
        Assert.True((await store.QueueCountsListAsync(new QueueCountsParams(T0))).Single(q => q.Queue == "paused").Paused);
        var second = await InsertAsync(store, NewJob());
        Assert.NotEqual(id, second);
        Assert.Equal(id, (await FetchOneAsync(store)).Id);
    }

    [Fact]
    public async Task Get_UnknownJob_IsNull_AndItsTimelineEmpty()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.JobGetAsync(987_654_321));
        Assert.Empty(await store.JobTimelineListAsync(987_654_321));
    }

    [Fact]
    public async Task Timeline_ListsAJobsWholeLifeOldestFirst()
    {
        var store = await CreateStoreAsync();
        var job = await InsertActiveAsync(store, NewJob(maxAttempts: 3), Worker1, T0);
        await FinishAsync(store, JobFinish.Retry(job.Id, Worker1, 1, 500, "ERROR", "e", null, At(10), null, At(5)));
        await FetchOneAsync(store, Worker2, At(10));
        await FinishAsync(store, JobFinish.Complete(job.Id, Worker2, 2, 200, "SUCCESS", null, null, At(15)));
        var other = await InsertActiveAsync(store, now: At(16));

        var timeline = await store.JobTimelineListAsync(job.Id);

        Assert.Equal(
            [JobTimelineKinds.Created, JobTimelineKinds.Started, JobTimelineKinds.Retrying, JobTimelineKinds.Started, JobTimelineKinds.Completed],
            timeline.Select(e => e.Kind));
        Assert.All(timeline, e => Assert.Equal(job.Id, e.JobId));
        Assert.Equal([JobState.Waiting, JobState.Active, JobState.Delayed, JobState.Active, JobState.Completed], timeline.Select(e => e.State));
        Assert.Equal([0, 1, 1, 2, 2], timeline.Select(e => e.Attempt));
        Assert.Equal([T0, T0, At(5), At(10), At(15)], timeline.Select(e => DateTimeOffset.FromUnixTimeMilliseconds(e.At.ToUnixTimeMilliseconds())));
        Assert.Equal(Worker2, timeline[3].WorkerId);
        Assert.DoesNotContain(timeline, e => e.JobId == other.Id);
    }

    [Fact]
    public async Task LatestPerName_ReturnsTheHighestIdOfEveryName()
    {
        var store = await CreateStoreAsync();
        Assert.Empty(await store.JobLatestPerNameAsync());
        var a1 = await InsertCompletedAsync(store, NewJob("alpha"));
        var b1 = await InsertFailedAsync(store, NewJob("beta"));
        var a2 = await InsertFailedAsync(store, NewJob("alpha", queue: "other"));
        var c1 = (await store.RunStartAsync(NewRun("gamma"))).Id;
        var b2 = await InsertAsync(store, NewJob("beta", runAt: At(60)));
        var a3 = await InsertAsync(store, NewJob("alpha"));

        var latest = await store.JobLatestPerNameAsync();

        Assert.Equal(3, latest.Count);
        Assert.Equal(a3, latest.Single(j => j.Name == "alpha").Id);
        Assert.Equal(b2, latest.Single(j => j.Name == "beta").Id);
        Assert.Equal(c1, latest.Single(j => j.Name == "gamma").Id);
        Assert.Equal(JobState.Delayed, latest.Single(j => j.Name == "beta").State);
        Assert.DoesNotContain(latest, j => j.Id == a1.Id || j.Id == a2.Id || j.Id == b1.Id);
    }

    [Fact]
    public async Task QueueCounts_CountsEveryStatePerQueue()
    {
        var store = await CreateStoreAsync();
        Assert.Empty(await store.QueueCountsListAsync(new QueueCountsParams(T0)));
        await InsertCompletedAsync(store, NewJob(queue: "q1"), now: At(2));       // finished At(3)
        await InsertCompletedAsync(store, NewJob(queue: "q1"), now: At(6));       // finished At(7)
        await InsertFailedAsync(store, NewJob(queue: "q1"), failedAt: At(8));
        await InsertCancelledAsync(store, NewJob(queue: "q1"), now: At(8));       // cancelled At(9)
        await InsertActiveAsync(store, NewJob(queue: "q1", runAt: At(-500)), now: At(-500));
        await InsertManyAsync(store, At(-5), NewJob(queue: "q1", runAt: At(-10)), NewJob(queue: "q1", runAt: At(-50)));
        await InsertManyAsync(store, T0, NewJob(queue: "q1", runAt: At(5)), NewJob(queue: "q1", runAt: At(100)));
        await store.QueueSetPausedAsync(new QueueSetPausedParams("q2", true, T0));
        await InsertCompletedAsync(store, NewJob(queue: "q3"), now: At(40));
        await store.QueueSetPausedAsync(new QueueSetPausedParams("q3", true, At(41)));
        await InsertAsync(store, NewJob(queue: "q4", runAt: At(5)), T0);
        await InsertAsync(store, NewJob(queue: "q5", runAt: At(100)), T0);

        var counts = (await store.QueueCountsListAsync(new QueueCountsParams(At(10)))).ToDictionary(q => q.Queue);

        Assert.Equal(["q1", "q2", "q3", "q4", "q5"], counts.Keys.Order());
        var q1 = counts["q1"];
        Assert.Equal(3, q1.Waiting);   // two waiting + one delayed whose run_at has passed
        Assert.Equal(1, q1.Delayed);
        Assert.Equal(1, q1.Active);
        Assert.Equal(2, q1.Completed);
        Assert.Equal(1, q1.Failed);
        Assert.Equal(1, q1.Cancelled);
        Assert.False(q1.Paused);
        AssertTime(At(-50), q1.OldestWaitingSince);
        AssertTime(At(9), q1.LastFinishedAt);

        var q2 = counts["q2"];
        Assert.True(q2.Paused);
        Assert.Equal(0, q2.Waiting + q2.Delayed + q2.Active + q2.Completed + q2.Failed + q2.Cancelled);
        Assert.Null(q2.OldestWaitingSince);
        Assert.Null(q2.LastFinishedAt);

        Assert.True(counts["q3"].Paused);
        Assert.Equal(1, counts["q3"].Completed);
        Assert.Null(counts["q3"].OldestWaitingSince);

        Assert.Equal(1, counts["q4"].Waiting);
        Assert.Equal(0, counts["q4"].Delayed);
        AssertTime(At(5), counts["q4"].OldestWaitingSince);

        Assert.Equal(0, counts["q5"].Waiting);
        Assert.Equal(1, counts["q5"].Delayed);
        Assert.Null(counts["q5"].OldestWaitingSince);
    }

    [Fact]
    public async Task QueueCounts_ResumeClearsThePausedFlag()
    {
        var store = await CreateStoreAsync();
        await InsertAsync(store, NewJob(queue: "q1"));
        await store.QueueSetPausedAsync(new QueueSetPausedParams("q1", true, T0));
        await store.QueueSetPausedAsync(new QueueSetPausedParams("q1", true, At(1)));
        Assert.True(Assert.Single(await store.QueueCountsListAsync(new QueueCountsParams(At(2)))).Paused);

        await store.QueueSetPausedAsync(new QueueSetPausedParams("q1", false, At(3)));

        var q1 = Assert.Single(await store.QueueCountsListAsync(new QueueCountsParams(At(4))));
        Assert.False(q1.Paused);
        Assert.Equal(1, q1.Waiting);
    }

    [Fact]
    public async Task DeadLetterCounts_AggregatesFailedJobs()
    {
        var store = await CreateStoreAsync();
        var empty = await store.DeadLetterCountsAsync(new DeadLetterCountsParams(T0, At(-3600)));
        Assert.Equal(0, empty.Total);
        Assert.Equal(0, empty.Recent);
        Assert.Empty(empty.ByQueue);
        Assert.Empty(empty.ByName);
        Assert.Empty(empty.ByStatusCode);
        Assert.Null(empty.OldestFailedAt);
        Assert.Null(empty.NewestFailedAt);

        await InsertFailedAsync(store, NewJob("n1", "a"), statusCode: 500, failedAt: At(10));
        await InsertFailedAsync(store, NewJob("n2", "a"), statusCode: 429, failedAt: At(20));
        await InsertFailedAsync(store, NewJob("n1", "b"), statusCode: 500, failedAt: At(30));
        await InsertCompletedAsync(store, NewJob("n1", "a"));
        await InsertCancelledAsync(store, NewJob("n2", "b"));
        await InsertAsync(store, NewJob("n1", "a"));

        var counts = await store.DeadLetterCountsAsync(new DeadLetterCountsParams(At(60), At(20)));

        Assert.Equal(3, counts.Total);
        Assert.Equal(2, counts.Recent); // finished_at >= RecentSince
        Assert.Equal(new Dictionary<string, long> { ["a"] = 2, ["b"] = 1 }, counts.ByQueue.OrderBy(kv => kv.Key).ToDictionary());
        Assert.Equal(new Dictionary<string, long> { ["n1"] = 2, ["n2"] = 1 }, counts.ByName.OrderBy(kv => kv.Key).ToDictionary());
        Assert.Equal(new Dictionary<int, long> { [429] = 1, [500] = 2 }, counts.ByStatusCode.OrderBy(kv => kv.Key).ToDictionary());
        AssertTime(At(10), counts.OldestFailedAt);
        AssertTime(At(30), counts.NewestFailedAt);
    }
}
