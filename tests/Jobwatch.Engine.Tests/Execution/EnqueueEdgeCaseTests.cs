using Jobwatch.Client;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;

namespace Jobwatch.Engine.Tests.Execution;

public class EnqueueEdgeCaseTests(ITestOutputHelper output)
{
    private static readonly Script Succeed = (_, _, _) => Task.FromResult(JobResult.Success());

    [Fact]
    public async Task A_delayed_job_waits_for_its_time_then_runs()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("later", Succeed));

        var id = await host.EnqueueAsync("later", options: new EnqueueOptions { Delay = TimeSpan.FromMilliseconds(700) });
        var queued = await host.GetRequiredAsync(id);
        Assert.Equal(JobState.Delayed, queued.State);

        var job = await host.WaitForStateAsync(id, JobState.Completed);
        Assert.True(job!.StartedAt >= queued.RunAt, $"started at {job.StartedAt:O}, before its run_at {queued.RunAt:O}");
    }

    [Fact]
    public async Task EnqueueMany_is_all_or_nothing()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("batch", Succeed));

        await Assert.ThrowsAsync<UnknownJobNameException>(() => host.Client.EnqueueManyAsync(
            [new JobEnqueueRequest("batch", new TestArgs(1)), new JobEnqueueRequest("no_such_job", null)]));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.EnqueueManyAsync(
            [new JobEnqueueRequest("batch", new TestArgs(1)), new JobEnqueueRequest("batch", null, new EnqueueOptions { MaxAttempts = 0 })]));
        Assert.Empty(await host.Store.JobListAsync(new JobListParams { Limit = 100 }));

        var ids = await host.Client.EnqueueManyAsync([new JobEnqueueRequest("batch", new TestArgs(1)), new JobEnqueueRequest("batch", "{\"value\":2}")]);
        Assert.Equal(2, ids.Count);
        Assert.True(ids[0] < ids[1]);
        foreach (var id in ids)
        {
            await host.WaitForStateAsync(id, JobState.Completed);
        }
    }

    [Fact]
    public async Task A_payload_the_handler_cannot_read_is_dead_lettered_without_retrying()
    {
        var runs = 0;
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("typed", (_, _, _) =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(JobResult.Success());
        }, o => o.MaxAttempts = 5));

        // Valid JSON, but an array cannot become TestArgs.
        var id = await host.Client.EnqueueAsync("typed", "[1, 2, 3]");
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(1, job!.Attempt);
        Assert.Equal(JobStatusCodes.InternalError, job.StatusCode);
        Assert.Contains(nameof(TestArgs), job.LastError);
        Assert.Equal(0, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task A_handler_returning_a_pending_code_fails_finally_and_says_why()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("confused", (_, _, _) => Task.FromResult(JobResult.Code(JobStatusCodes.Pending)), o => o.MaxAttempts = 5));

        var id = await host.EnqueueAsync("confused");
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(1, job!.Attempt);
        Assert.Equal(JobStatusCodes.InternalError, job.StatusCode);
        Assert.Contains("pending code 100", job.LastError);
    }

    [Fact]
    public async Task Typed_enqueue_uses_the_single_name_registered_for_the_args()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("only_one", Succeed));

        var id = await host.Client.EnqueueAsync(new TestArgs(3));
        var job = await host.WaitForStateAsync(id, JobState.Completed);
        Assert.Equal("only_one", job!.Name);
        Assert.Equal("{\"value\":3,\"text\":null}", job.Payload);
    }
}
