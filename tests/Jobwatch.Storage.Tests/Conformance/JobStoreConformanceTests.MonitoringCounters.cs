using Jobwatch.Model;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;

namespace Jobwatch.Storage.Tests.Conformance;

// Stores may keep counts of finished and failed jobs in side tables (so statistics need not count
// millions of rows); these tests drive every transition into and out of the finished states and check
// the statistics against the jobs themselves, as listed one by one. Also the failed-jobs listing, which
// may come from an index of its own.
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Statistics_FollowEveryTransitionIntoAndOutOfFinishedStates()
    {
        var store = await CreateStoreAsync();
        var a = await InsertFailedAsync(store, NewJob("n1", "a"), statusCode: 500, failedAt: At(10));
        var b = await InsertFailedAsync(store, NewJob("n2", "a"), statusCode: 429, failedAt: At(11));
        await InsertFailedAsync(store, NewJob("n1", "b"), statusCode: 500, failedAt: At(12));
        var d = await InsertCompletedAsync(store, NewJob("n1", "a"), now: At(13));
        await InsertCancelledAsync(store, NewJob("n2", "a"), now: At(14));
        await AssertStatisticsMatchJobsAsync(store, At(20));

        // Retried out of the dead-letter queue, then failed again with another code.
        Assert.Equal(JobActionStatus.Done, (await store.JobRetryAsync(new JobRetryParams(a.Id, At(21)))).Status);
        await AssertStatisticsMatchJobsAsync(store, At(22));
        var again = await FetchOneAsync(store, now: At(23), queue: "a");
        await FinishAsync(store, JobFinish.DeadLetter(again.Id, Worker1, again.Attempt, JobStatusCodes.NotFound, "NOT_FOUND", "gone", null, null, At(24)));
        await AssertStatisticsMatchJobsAsync(store, At(25));

        // Bulk retry of one queue, deletes of a failed and a completed job.
        Assert.Single(await store.JobRetryManyAsync(new JobRetryManyParams { Queue = "b", Now = At(26) }));
        Assert.True(await store.JobDeleteAsync(new JobDeleteParams(b.Id)));
        Assert.True(await store.JobDeleteAsync(new JobDeleteParams(d.Id)));
        await AssertStatisticsMatchJobsAsync(store, At(27));

        // A stalled job past its stall limit fails through the rescuer; a cancelled one is retried.
        await InsertActiveAsync(store, NewJob("n3", "c"), now: At(28));
        Assert.Equal(RescueOutcome.DeadLettered, Assert.Single(await store.JobRescueExpiredAsync(Rescue(At(60), maxStalledCount: 0))).Outcome);
        var cancelled = (await store.JobListAsync(new JobListParams { States = [JobState.Cancelled] })).Single();
        Assert.Equal(JobActionStatus.Done, (await store.JobRetryAsync(new JobRetryParams(cancelled.Id, At(61)))).Status);
        await AssertStatisticsMatchJobsAsync(store, At(62));

        var dead = await store.DeadLetterCountsAsync(new DeadLetterCountsParams(At(62), At(0)));
        Assert.Equal(2, dead.Total); // a (404 now) and the stalled one; b deleted, the "b" queue's retried
        Assert.Equal(new Dictionary<int, long> { [JobStatusCodes.NotFound] = 1, [JobStatusCodes.Stalled] = 1 },
            dead.ByStatusCode.OrderBy(kv => kv.Key).ToDictionary());
    }

    [Fact]
    public async Task JobList_FailedNewestFirst_PagesThroughTheDeadLetterQueueAlone()
    {
        var store = await CreateStoreAsync();
        var failed = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            // Failures finish in the opposite order of their ids, so id order and finish order differ.
            failed.Add((await InsertFailedAsync(store, NewJob(queue: i % 2 == 0 ? "even" : "odd"), failedAt: At(100 - i))).Id);
            await InsertCompletedAsync(store, NewJob(queue: "even"));
        }
        failed.Reverse();

        var seen = new List<long>();
        JobListCursor? cursor = null;
        while (true)
        {
            var page = await store.JobListAsync(new JobListParams { States = [JobState.Failed], Limit = 3, After = cursor });
            seen.AddRange(page.Select(j => j.Id));
            if (page.Count < 3)
            {
                break;
            }
            cursor = new JobListCursor(page[^1].Id);
        }
        Assert.Equal(failed, seen);

        var evenFailed = await store.JobListAsync(new JobListParams { Queue = "even", States = [JobState.Failed], Limit = 2, After = new JobListCursor(failed[0]) });
        Assert.Equal(failed.Where((_, i) => i % 2 == 0).Skip(1).Take(2), evenFailed.Select(j => j.Id));
    }

    /// <summary>Queue counts and dead-letter counts equal what counting the listed jobs gives.</summary>
    private static async Task AssertStatisticsMatchJobsAsync(IJobStore store, DateTimeOffset now)
    {
        var jobs = await store.JobListAsync(new JobListParams { Limit = 1000 });
        var queues = (await store.QueueCountsListAsync(new QueueCountsParams(now))).ToDictionary(q => q.Queue);
        foreach (var group in jobs.GroupBy(j => j.Queue))
        {
            var q = queues[group.Key];
            Assert.Equal(group.Count(j => j.State == JobState.Completed), q.Completed);
            Assert.Equal(group.Count(j => j.State == JobState.Failed), q.Failed);
            Assert.Equal(group.Count(j => j.State == JobState.Cancelled), q.Cancelled);
        }
        foreach (var q in queues.Values.Where(q => jobs.All(j => j.Queue != q.Queue)))
        {
            Assert.Equal(0, q.Completed + q.Failed + q.Cancelled);
        }

        var failed = jobs.Where(j => j.State == JobState.Failed).ToList();
        var dead = await store.DeadLetterCountsAsync(new DeadLetterCountsParams(now, now.AddHours(-1)));
        Assert.Equal(failed.Count, dead.Total);
        Assert.Equal(failed.GroupBy(j => j.Queue).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => (long)g.Count()), dead.ByQueue.OrderBy(kv => kv.Key).ToDictionary());
        Assert.Equal(failed.GroupBy(j => j.Name).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => (long)g.Count()), dead.ByName.OrderBy(kv => kv.Key).ToDictionary());
        Assert.Equal(failed.GroupBy(j => j.StatusCode!.Value).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => (long)g.Count()),
            dead.ByStatusCode.OrderBy(kv => kv.Key).ToDictionary());
        Assert.Equal(failed.Count == 0 ? null : failed.Min(j => j.FinishedAt), dead.OldestFailedAt);
        Assert.Equal(failed.Count == 0 ? null : failed.Max(j => j.FinishedAt), dead.NewestFailedAt);
    }
}
