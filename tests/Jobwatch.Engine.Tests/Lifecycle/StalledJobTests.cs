using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;

namespace Jobwatch.Engine.Tests.Lifecycle;

/// <summary>A worker that died holding a job is simulated by leasing it through the store under a foreign worker id.</summary>
public class StalledJobTests(ITestOutputHelper output)
{
    private static async Task<long> LeaseToADeadWorkerAsync(EngineHost host, string name, int maxAttempts)
    {
        await host.Store.MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var ids = await host.Store.JobInsertManyAsync(new JobInsertManyParams(
            [new JobInsertParams { Queue = "default", Name = name, Type = name, Payload = "{}", MaxAttempts = maxAttempts, RunAt = now }], now));
        var leased = await host.Store.JobFetchAvailableAsync(new JobFetchParams("default", 1, "dead-worker", now, now + TimeSpan.FromSeconds(1)));
        Assert.Equal(ids[0], Assert.Single(leased).Id);
        return ids[0];
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_rescued_and_completes_here()
    {
        var runs = 0;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("orphan", (_, _, _) =>
            {
                Interlocked.Increment(ref runs);
                return Task.FromResult(JobResult.Success());
            }), start: false);
        var id = await LeaseToADeadWorkerAsync(host, "orphan", maxAttempts: 3);

        await host.StartAsync();
        var job = await host.WaitForStateAsync(id, JobState.Completed);

        Assert.Equal(1, job!.StalledCount);
        Assert.Equal(2, job.Attempt);
        Assert.Equal(1, Volatile.Read(ref runs));
        var timeline = await host.Store.JobTimelineListAsync(id);
        Assert.Equal(
            [JobTimelineKinds.Created, JobTimelineKinds.Started, JobTimelineKinds.Stalled, JobTimelineKinds.Started, JobTimelineKinds.Completed],
            timeline.Select(t => t.Kind));
        // The first start was the dead worker's, the second this engine's.
        Assert.Equal(["dead-worker", host.WorkerId], timeline.Where(t => t.Kind == JobTimelineKinds.Started).Select(t => t.WorkerId));
    }

    [Fact]
    public async Task A_job_stalled_more_often_than_MaxStalledCount_is_dead_lettered()
    {
        var runs = 0;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.MaxStalledCount = 0)
            .Handle("cursed", (_, _, _) =>
            {
                Interlocked.Increment(ref runs);
                return Task.FromResult(JobResult.Success());
            }), start: false);
        var id = await LeaseToADeadWorkerAsync(host, "cursed", maxAttempts: 3);

        await host.StartAsync();
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(1, job!.StalledCount);
        Assert.Equal(JobStatusCodes.Stalled, job.StatusCode);
        Assert.Equal("STALLED", job.StatusLabel);
        Assert.Contains("stalled", job.LastError);
        Assert.Equal(0, Volatile.Read(ref runs));
        Assert.Contains(JobTimelineKinds.DeadLettered, await host.TimelineKindsAsync(id));
    }

    [Fact]
    public async Task A_running_job_keeps_its_lease_well_past_the_lease_duration()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("long_runner", async (_, _, ct) =>
            {
                Interlocked.Increment(ref runs);
                await release.Task.WaitAsync(ct);
                return JobResult.Success();
            }));

        var id = await host.EnqueueAsync("long_runner");
        // Three 2-second leases: without renewal the rescuer would have taken it back.
        await Task.Delay(TimeSpan.FromSeconds(6));
        release.TrySetResult();
        var job = await host.WaitForStateAsync(id, JobState.Completed);

        Assert.Equal(0, job!.StalledCount);
        Assert.Equal(1, job.Attempt);
        Assert.Equal(1, Volatile.Read(ref runs));
    }
}
