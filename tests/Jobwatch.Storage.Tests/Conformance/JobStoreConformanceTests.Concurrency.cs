using System.Collections.Concurrent;
using Jobwatch.Model;

namespace Jobwatch.Storage.Tests.Conformance;

// Races: many callers on one store at once. Every transition is guarded in the store, so whichever
// caller comes second sees the first one's result and backs off.
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Fetch_ConcurrentCallersNeverShareAJob()
    {
        const int jobCount = 2_000, workers = 8;
        var store = await CreateStoreAsync();
        var ids = new List<long>();
        for (var batch = 0; batch < jobCount / 500; batch++)
            ids.AddRange(await InsertManyAsync(store, T0, Enumerable.Range(0, 500).Select(i => NewJob(priority: i % 3)).ToArray()));

        var taken = new ConcurrentBag<(long Id, int Attempt, string Worker)>();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var worker = $"w{w}";
            while (true)
            {
                var batch = await store.JobFetchAvailableAsync(Fetch(max: 1 + w % 4 * 5, worker: worker, now: At(1)));
                if (batch.Count == 0) return;
                foreach (var job in batch)
                {
                    Assert.Equal(worker, job.WorkerId);
                    taken.Add((job.Id, job.Attempt, worker));
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        var duplicates = taken.GroupBy(t => (t.Id, t.Attempt)).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(duplicates);
        Assert.Equal(ids.Order(), taken.Select(t => t.Id).Order());
        Assert.All(taken, t => Assert.Equal(1, t.Attempt));
        foreach (var (id, _, worker) in taken.Where((_, i) => i % 97 == 0))
            Assert.Equal(worker, (await GetAsync(store, id)).WorkerId);
    }

    [Fact]
    public async Task Race_FinishVersusCancel_ExactlyOneWins()
    {
        const int jobCount = 150;
        var store = await CreateStoreAsync();
        await InsertManyAsync(store, T0, Enumerable.Range(0, jobCount).Select(_ => NewJob()).ToArray());
        var jobs = await store.JobFetchAvailableAsync(Fetch(max: jobCount));
        Assert.Equal(jobCount, jobs.Count);

        var finishes = jobs.Select(j => Task.Run(() => store.JobFinishManyAsync(new JobFinishManyParams(
            [JobFinish.Complete(j.Id, Worker1, j.Attempt, 200, "SUCCESS", null, null, At(5))], At(5))))).ToArray();
        var cancels = jobs.Select(j => Task.Run(() => store.JobCancelAsync(new JobCancelParams(j.Id, At(5))))).ToArray();
        await Task.WhenAll(Task.WhenAll(finishes), Task.WhenAll(cancels));

        for (var i = 0; i < jobCount; i++)
        {
            var finished = (await finishes[i]).Contains(jobs[i].Id);
            var cancelled = (await cancels[i]).Status == JobActionStatus.Done;
            Assert.True(finished ^ cancelled, $"Job {jobs[i].Id}: finish applied={finished}, cancel applied={cancelled}.");
            var state = (await GetAsync(store, jobs[i].Id)).State;
            Assert.Equal(finished ? JobState.Completed : JobState.Cancelled, state);
        }
    }

    [Fact]
    public async Task Race_LeaseRenewVersusRescue_ExactlyOneWins()
    {
        const int jobCount = 150;
        var store = await CreateStoreAsync();
        await InsertManyAsync(store, T0, Enumerable.Range(0, jobCount).Select(_ => NewJob(maxAttempts: 3)).ToArray());
        var jobs = await store.JobFetchAvailableAsync(Fetch(max: jobCount)); // leases until At(30)
        Assert.Equal(jobCount, jobs.Count);

        var renewals = jobs.Select(j => Task.Run(() => store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(Worker1, [j.Id], At(100))))).ToArray();
        var rescues = Enumerable.Range(0, 15).Select(_ => Task.Run(() => store.JobRescueExpiredAsync(Rescue(At(31), limit: 10)))).ToArray();
        await Task.WhenAll(Task.WhenAll(renewals), Task.WhenAll(rescues));

        var rescued = (await Task.WhenAll(rescues)).SelectMany(r => r).Select(r => r.Job.Id).ToList();
        Assert.Equal(rescued.Count, rescued.Distinct().Count());
        for (var i = 0; i < jobCount; i++)
        {
            var renewed = (await renewals[i]).Contains(jobs[i].Id);
            var wasRescued = rescued.Contains(jobs[i].Id);
            Assert.True(renewed ^ wasRescued, $"Job {jobs[i].Id}: renewed={renewed}, rescued={wasRescued}.");
            var after = await GetAsync(store, jobs[i].Id);
            Assert.Equal(renewed ? JobState.Active : JobState.Waiting, after.State);
            Assert.Equal(renewed ? 0 : 1, after.StalledCount);
        }
    }
}
