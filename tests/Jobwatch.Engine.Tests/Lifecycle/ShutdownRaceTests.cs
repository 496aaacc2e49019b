using System.Diagnostics;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Engine.Tests.Lifecycle;

public class ShutdownRaceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Jobs_from_a_fetch_still_in_flight_when_shutdown_begins_are_not_left_active()
    {
        const int count = 30_000;
        var ran = 0;
        await using var host = await EngineHost.StartAsync(output, s => s
            // Long leases: this test is about the hand-back at shutdown, not about rescue.
            .Configure(o => { o.ShutdownTimeout = TimeSpan.FromSeconds(5); o.LeaseDuration = TimeSpan.FromMinutes(5); })
            .Handle("quick", async (_, _, _) =>
            {
                Interlocked.Increment(ref ran);
                await Task.Delay(200, CancellationToken.None);
                return JobResult.Success();
            }));

        // A large insert holds the store's single writer; the worker's next poll queues behind it, so
        // its fetch is still in flight when shutdown begins and returns jobs after fetching has stopped.
        var now = DateTimeOffset.UtcNow;
        var jobs = Enumerable.Range(0, count)
            .Select(_ => new JobInsertParams { Queue = "default", Name = "quick", Type = "quick", Payload = "{}", MaxAttempts = 3, RunAt = now })
            .ToArray();
        var clock = Stopwatch.StartNew();
        var insert = Task.Run(() => host.Store.JobInsertManyAsync(new JobInsertManyParams(jobs, now)));
        // Ten poll intervals, so the worker's fetch is surely queued behind the insert (which takes seconds).
        await Task.Delay(1000);
        var insertStillRunning = !insert.IsCompleted;
        await host.StopAsync();
        var ids = await insert;
        output.WriteLine($"insert took {clock.ElapsedMilliseconds} ms; still running at stop: {insertStillRunning}; handlers started: {Volatile.Read(ref ran)}");
        // Give handlers started late time to end, so nothing is merely "about to be released".
        await Task.Delay(1000);

        var queue = Assert.Single(await host.Store.QueueCountsListAsync(new QueueCountsParams(DateTimeOffset.UtcNow)));
        Assert.True(queue.Active == 0,
            $"{queue.Active} jobs were left active (leased to the stopped engine) although it stopped; {Volatile.Read(ref ran)} handlers had started");
        Assert.Equal(count, queue.Waiting + queue.Completed);
        // The first jobs are the ones the late fetch took: each was either run to completion or handed back unspent.
        foreach (var id in ids.Take(10))
        {
            var job = await host.GetRequiredAsync(id);
            Assert.Equal(0, job.StalledCount);
            Assert.True(job.State == JobState.Completed || (job.State == JobState.Waiting && job.Attempt == 0),
                $"job {id} is {job.State.ToName()} at attempt {job.Attempt}");
        }
    }
}
