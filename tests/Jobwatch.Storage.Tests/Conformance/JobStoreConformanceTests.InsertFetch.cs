using Jobwatch.Model;

namespace Jobwatch.Storage.Tests.Conformance;

// JobInsertManyAsync, RunStartAsync, JobFetchAvailableAsync.
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Insert_IsWaitingWhenRunAtIsNotAfterNow_ElseDelayed()
    {
        var store = await CreateStoreAsync();

        var ids = await InsertManyAsync(store, T0,
            NewJob("past", runAt: At(-60)),
            NewJob("now", runAt: T0),
            NewJob("future", runAt: At(0.001)));

        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[0])).State);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[1])).State);
        Assert.Equal(JobState.Delayed, (await GetAsync(store, ids[2])).State);
    }

    [Fact]
    public async Task Insert_ReturnsIdsInInputOrder()
    {
        var store = await CreateStoreAsync();
        // Deliberately not in any order a store might sort by (priority, run_at, queue, name).
        var jobs = new[]
        {
            NewJob("n0", queue: "q-b", priority: 1, runAt: At(30)),
            NewJob("n1", queue: "q-a", priority: 9, runAt: At(-30)),
            NewJob("n2", queue: "q-c", priority: -4, runAt: At(5)),
            NewJob("n3", queue: "q-a", priority: 0, runAt: At(-90)),
            NewJob("n4", queue: "q-b", priority: 9, runAt: T0),
        };

        var ids = await InsertManyAsync(store, T0, jobs);

        Assert.Equal(jobs.Length, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        for (var i = 0; i < jobs.Length; i++)
        {
            var job = await GetAsync(store, ids[i]);
            Assert.Equal($"n{i}", job.Name);
            Assert.Equal(jobs[i].Queue, job.Queue);
        }
    }

    [Fact]
    public async Task Insert_BatchesGetDistinctIds()
    {
        var store = await CreateStoreAsync();
        var first = await InsertManyAsync(store, T0, NewJob(), NewJob(), NewJob());
        var second = await InsertManyAsync(store, T0, NewJob(), NewJob());
        Assert.Equal(5, first.Concat(second).Distinct().Count());
    }

    [Fact]
    public async Task Insert_StoresEveryFieldAndStartsFresh()
    {
        var store = await CreateStoreAsync();
        var input = new JobInsertParams
        {
            Queue = "mail",
            Name = "high_priority_tick_sync",
            Type = "tick_sync",
            Payload = """{"symbol":"ABC","n":[1,2,3]}""",
            Metadata = """{"tenant":"t1"}""",
            Priority = 7,
            MaxAttempts = 4,
            RunAt = At(120),
            CreatedBy = "api",
            TimeoutMs = 15_000,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        };

        var id = await InsertAsync(store, input, T0);
        var job = await GetAsync(store, id);

        Assert.Equal(id, job.Id);
        Assert.Equal("mail", job.Queue);
        Assert.Equal("high_priority_tick_sync", job.Name);
        Assert.Equal("tick_sync", job.Type);
        Assert.Equal(JobState.Delayed, job.State);
        AssertJson(input.Payload, job.Payload);
        AssertJson(input.Metadata, job.Metadata);
        Assert.Equal(7, job.Priority);
        Assert.Equal(4, job.MaxAttempts);
        Assert.Equal(0, job.Attempt);
        Assert.Equal(0, job.StalledCount);
        AssertTime(At(120), job.RunAt);
        AssertTime(T0, job.CreatedAt);
        Assert.Null(job.StartedAt);
        Assert.Null(job.FinishedAt);
        Assert.Null(job.LeaseUntil);
        Assert.Null(job.WorkerId);
        Assert.False(job.IsExternal);
        Assert.Equal("api", job.CreatedBy);
        Assert.Equal(15_000, job.TimeoutMs);
        Assert.Equal(input.TraceParent, job.TraceParent);
        Assert.Equal(0, job.ItemsSucceeded);
        Assert.Equal(0, job.ItemsFailed);
        Assert.Null(job.LastError);
        Assert.Null(job.Result);
    }

    [Fact]
    public async Task Insert_AppendsCreatedTimelineEntry()
    {
        var store = await CreateStoreAsync();
        var ids = await InsertManyAsync(store, T0, NewJob(runAt: T0), NewJob(runAt: At(60)));

        var waiting = Assert.Single(await store.JobTimelineListAsync(ids[0]));
        Assert.Equal(JobTimelineKinds.Created, waiting.Kind);
        Assert.Equal(ids[0], waiting.JobId);
        Assert.Equal(JobState.Waiting, waiting.State);
        Assert.Equal(0, waiting.Attempt);
        AssertTime(T0, waiting.At);

        var delayed = Assert.Single(await store.JobTimelineListAsync(ids[1]));
        Assert.Equal(JobTimelineKinds.Created, delayed.Kind);
        Assert.Equal(JobState.Delayed, delayed.State);
    }

    [Fact]
    public async Task Insert_TimesAreInstantsWhateverTheirOffset()
    {
        var store = await CreateStoreAsync();
        var east = TimeSpan.FromHours(5.5);
        var west = TimeSpan.FromHours(-7);

        // The same instant written in two offsets: RunAt equals Now, so the job is waiting.
        var id = await InsertAsync(store, NewJob(runAt: At(0).ToOffset(east)), At(0).ToOffset(west));
        var later = await InsertAsync(store, NewJob(runAt: At(1).ToOffset(west)), At(0).ToOffset(east));

        var job = await GetAsync(store, id);
        Assert.Equal(JobState.Waiting, job.State);
        AssertTime(T0, job.RunAt);
        AssertTime(T0, job.CreatedAt);
        Assert.Equal(JobState.Delayed, (await GetAsync(store, later)).State);
        AssertTime(At(1), (await GetAsync(store, later)).RunAt);
        var fetched = Assert.Single(await store.JobFetchAvailableAsync(Fetch(now: At(0.5).ToOffset(east))));
        Assert.Equal(id, fetched.Id);
        AssertTime(At(0.5), fetched.StartedAt);
    }

    [Fact]
    public async Task RunStart_InsertsAnActiveExternalRunOwnedByTheReporter()
    {
        var store = await CreateStoreAsync();
        var run = NewRun(owner: "reporter-7") with
        {
            TotalItems = 500,
            Metadata = """{"host":"etl-1"}""",
            CreatedBy = "etl",
            TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        };

        var started = await store.RunStartAsync(run);
        Assert.Equal(JobState.Active, started.State);
        var job = await GetAsync(store, started.Id);

        Assert.Equal(JobState.Active, job.State);
        Assert.True(job.IsExternal);
        Assert.Equal(1, job.Attempt);
        Assert.Equal("reporter-7", job.WorkerId);
        AssertTime(run.LeaseUntil, job.LeaseUntil);
        AssertTime(T0, job.CreatedAt);
        AssertTime(T0, job.StartedAt);
        Assert.Null(job.FinishedAt);
        Assert.Equal("external", job.Queue);
        Assert.Equal("external_run", job.Name);
        Assert.Equal(500, job.TotalItems);
        AssertJson(run.Metadata, job.Metadata);
        Assert.Equal("etl", job.CreatedBy);
        Assert.Equal(run.TraceParent, job.TraceParent);

        var timeline = await store.JobTimelineListAsync(job.Id);
        Assert.Equal([JobTimelineKinds.Created, JobTimelineKinds.Started], timeline.Select(e => e.Kind));
        Assert.Equal(JobState.Active, timeline[1].State);
        Assert.Equal(1, timeline[1].Attempt);
    }

    [Fact]
    public async Task RunStart_RunIsNeverFetchedByWorkers()
    {
        var store = await CreateStoreAsync();
        var run = await store.RunStartAsync(NewRun(queue: DefaultQueue));
        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(now: At(5))));
        Assert.Equal(JobState.Active, (await GetAsync(store, run.Id)).State);
    }

    [Fact]
    public async Task Fetch_OrdersByPriorityDescThenRunAtThenId()
    {
        var store = await CreateStoreAsync();
        var jobs = new[]
        {
            NewJob("a", priority: 0, runAt: At(-10)),
            NewJob("b", priority: 5, runAt: At(-1)),
            NewJob("c", priority: 5, runAt: At(-5)),
            NewJob("d", priority: 0, runAt: At(-10)), // ties with a: id decides
            NewJob("e", priority: -3, runAt: At(-100)),
            NewJob("f", priority: 5, runAt: At(-5)),  // ties with c: id decides
            NewJob("g", priority: 0, runAt: At(-20)),
        };
        var ids = await InsertManyAsync(store, T0, jobs);
        var expected = jobs.Zip(ids)
            .OrderByDescending(x => x.First.Priority).ThenBy(x => x.First.RunAt).ThenBy(x => x.Second)
            .Select(x => x.Second).ToArray();

        var order = new List<long>();
        for (var i = 0; i < jobs.Length; i++)
            order.Add((await FetchOneAsync(store, now: At(i))).Id);

        Assert.Equal(expected, order);
        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(now: At(10))));
    }

    [Fact]
    public async Task Fetch_BatchTakesTheTopJobs()
    {
        var store = await CreateStoreAsync();
        var ids = await InsertManyAsync(store, T0,
            NewJob("low", priority: 1, runAt: At(-50)),
            NewJob("high-late", priority: 3, runAt: At(-1)),
            NewJob("high-early", priority: 3, runAt: At(-2)),
            NewJob("mid", priority: 2, runAt: At(-3)),
            NewJob("lowest", priority: 0, runAt: At(-99)));

        var fetched = await store.JobFetchAvailableAsync(Fetch(max: 3));

        Assert.Equal(new[] { ids[1], ids[2], ids[3] }.Order(), fetched.Select(j => j.Id).Order());
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[0])).State);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[4])).State);
    }

    [Fact]
    public async Task Fetch_HonoursMax()
    {
        var store = await CreateStoreAsync();
        await InsertManyAsync(store, T0, Enumerable.Range(0, 5).Select(_ => NewJob()).ToArray());

        Assert.Equal(3, (await store.JobFetchAvailableAsync(Fetch(max: 3))).Count);
        Assert.Equal(2, (await store.JobFetchAvailableAsync(Fetch(max: 3))).Count);
        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(max: 3)));
    }

    [Fact]
    public async Task Fetch_OnlyFromTheGivenQueue()
    {
        var store = await CreateStoreAsync();
        var ids = await InsertManyAsync(store, T0, NewJob(queue: "a"), NewJob(queue: "b", priority: 100));

        var fetched = Assert.Single(await store.JobFetchAvailableAsync(Fetch(queue: "a")));

        Assert.Equal(ids[0], fetched.Id);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[1])).State);
    }

    [Fact]
    public async Task Fetch_SkipsPausedQueueUntilResumed()
    {
        var store = await CreateStoreAsync();
        var ids = await InsertManyAsync(store, T0, NewJob(queue: "paused"), NewJob(queue: "other"));

        await store.QueueSetPausedAsync(new QueueSetPausedParams("paused", true, T0));
        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(queue: "paused")));
        Assert.Equal(JobState.Waiting, (await GetAsync(store, ids[0])).State);
        Assert.Single(await store.JobFetchAvailableAsync(Fetch(queue: "other")));

        await store.QueueSetPausedAsync(new QueueSetPausedParams("paused", false, At(1)));
        Assert.Equal(ids[0], Assert.Single(await store.JobFetchAvailableAsync(Fetch(queue: "paused", now: At(1)))).Id);
    }

    [Fact]
    public async Task Fetch_TakesDueDelayedJobsButNotFutureOnes()
    {
        var store = await CreateStoreAsync();
        var ids = await InsertManyAsync(store, T0,
            NewJob("due-earlier", runAt: At(10)),
            NewJob("due-exactly", runAt: At(20)),
            NewJob("future", runAt: At(20.001)));
        foreach (var id in ids)
            Assert.Equal(JobState.Delayed, (await GetAsync(store, id)).State);

        var fetched = await store.JobFetchAvailableAsync(Fetch(now: At(20)));

        Assert.Equal(new[] { ids[0], ids[1] }.Order(), fetched.Select(j => j.Id).Order());
        Assert.All(fetched, j => Assert.Equal(JobState.Active, j.State));
        Assert.Equal(JobState.Delayed, (await GetAsync(store, ids[2])).State);
    }

    [Fact]
    public async Task Fetch_TakesWaitingJobsEvenWhenTheCallersClockIsBehind()
    {
        // "state waiting, or delayed with RunAt <= Now": a waiting job is ready whatever the caller's
        // clock says (another node, whose clock runs a little behind the producer's, must still see it).
        var store = await CreateStoreAsync();
        var id = await InsertAsync(store, NewJob(runAt: At(10)), At(10));

        var fetched = await store.JobFetchAvailableAsync(Fetch(now: At(9)));

        Assert.Equal(id, Assert.Single(fetched).Id);
    }

    [Fact]
    public async Task Fetch_LeasesTheJob()
    {
        var store = await CreateStoreAsync();
        var id = await InsertAsync(store, NewJob(maxAttempts: 3, runAt: At(-5)), At(-5));

        var fetched = Assert.Single(await store.JobFetchAvailableAsync(new JobFetchParams(DefaultQueue, 5, "w-42", T0, At(45))));

        Assert.Equal(id, fetched.Id);
        Assert.Equal(JobState.Active, fetched.State);
        Assert.Equal(1, fetched.Attempt);
        Assert.Equal("w-42", fetched.WorkerId);
        AssertTime(At(45), fetched.LeaseUntil);
        AssertTime(T0, fetched.StartedAt);
        Assert.Null(fetched.FinishedAt);

        var stored = await GetAsync(store, id);
        Assert.Equal(JobState.Active, stored.State);
        Assert.Equal(1, stored.Attempt);
        Assert.Equal("w-42", stored.WorkerId);
        AssertTime(At(45), stored.LeaseUntil);
        AssertTime(T0, stored.StartedAt);

        var timeline = await store.JobTimelineListAsync(id);
        Assert.Equal([JobTimelineKinds.Created, JobTimelineKinds.Started], timeline.Select(e => e.Kind));
        var started = timeline[1];
        Assert.Equal(JobState.Active, started.State);
        Assert.Equal(1, started.Attempt);
        Assert.Equal("w-42", started.WorkerId);
        AssertTime(T0, started.At);
    }

    [Fact]
    public async Task Fetch_IncrementsAttemptOnEveryFetch()
    {
        var store = await CreateStoreAsync();
        var first = await InsertActiveAsync(store, NewJob(maxAttempts: 3));
        Assert.Equal(1, first.Attempt);

        await FinishAsync(store, JobFinish.Retry(first.Id, Worker1, 1, 500, "ERROR", "boom", null, At(10), null, At(1)));
        var second = await FetchOneAsync(store, Worker2, At(10));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempt);
        Assert.Equal(Worker2, second.WorkerId);
        AssertTime(At(10), second.StartedAt);
        AssertTime(At(10) + LeaseDuration, second.LeaseUntil);
        var started = (await store.JobTimelineListAsync(first.Id)).Where(e => e.Kind == JobTimelineKinds.Started).Select(e => e.Attempt);
        Assert.Equal([1, 2], started);
    }

    [Fact]
    public async Task Fetch_NeverReturnsActiveOrFinishedJobs()
    {
        var store = await CreateStoreAsync();
        await InsertCompletedAsync(store);
        await InsertFailedAsync(store);
        await InsertCancelledAsync(store);
        await InsertActiveAsync(store);

        Assert.Empty(await store.JobFetchAvailableAsync(Fetch(now: At(3600))));
    }
}
