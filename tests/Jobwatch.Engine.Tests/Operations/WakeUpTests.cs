using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Engine.Tests.Operations;

/// <summary>
/// With a 10 s poll interval, only a wake-up can start a job within the 5 s bound used here. The bound
/// is generous on purpose: these tests check that a wake-up happens, not how fast.
/// </summary>
public class WakeUpTests(ITestOutputHelper output)
{
    private static readonly TimeSpan WellBeforeThePoll = TimeSpan.FromSeconds(5);

    private static Task<EngineHost> StartAsync(ITestOutputHelper output, Script script) => EngineHost.StartAsync(output, s => s
        .Configure(o => o.PollInterval = TimeSpan.FromSeconds(10))
        .Handle("wake", script, o => o.MaxAttempts = 1));

    /// <summary>Runs one job to completion, after which the worker finds nothing and sleeps for the poll interval.</summary>
    internal static async Task PutTheWorkerToSleepAsync(EngineHost host, string name = "wake")
    {
        var first = await host.EnqueueAsync(name, new TestArgs(-1));
        await host.WaitForStateAsync(first, JobState.Completed);
        await Task.Delay(500);
    }

    [Fact]
    public async Task An_enqueue_in_this_process_wakes_the_worker()
    {
        await using var host = await StartAsync(output, (_, _, _) => Task.FromResult(JobResult.Success()));
        await using var events = new EventRecorder(host.Monitor);
        await PutTheWorkerToSleepAsync(host);

        var id = await host.EnqueueAsync("wake");
        await events.WaitForAsync(id, JobEventKind.Started, WellBeforeThePoll);
    }

    [Fact]
    public async Task A_manual_retry_wakes_the_worker()
    {
        var failures = 0;
        await using var host = await StartAsync(output, (args, _, _) => args.Value == 1 && Interlocked.Increment(ref failures) == 1
            ? throw new InvalidOperationException("first round fails")
            : Task.FromResult(JobResult.Success()));
        await using var events = new EventRecorder(host.Monitor);
        var id = await host.EnqueueAsync("wake", new TestArgs(1));
        await host.WaitForStateAsync(id, JobState.Failed);
        await PutTheWorkerToSleepAsync(host);

        await host.Client.RetryAsync(id);
        await Eventually.UntilAsync(() => events.For(id).SkipWhile(e => e.Kind != JobEventKind.Retried).Any(e => e.Kind == JobEventKind.Started),
            $"job {id} to start again after its retry", WellBeforeThePoll);
    }

    [Fact]
    public async Task Resuming_a_queue_wakes_the_worker()
    {
        await using var host = await StartAsync(output, (_, _, _) => Task.FromResult(JobResult.Success()));
        await using var events = new EventRecorder(host.Monitor);
        await PutTheWorkerToSleepAsync(host);
        await host.Client.PauseQueueAsync("default");
        var id = await host.EnqueueAsync("wake");
        await Task.Delay(300);

        await host.Client.ResumeQueueAsync("default");
        await events.WaitForAsync(id, JobEventKind.Started, WellBeforeThePoll);
    }

    [Fact]
    public async Task A_rescued_job_wakes_the_worker()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.PollInterval = TimeSpan.FromSeconds(10))
            .Handle("wake", (_, _, _) => Task.FromResult(JobResult.Success())), start: false);
        await host.Store.MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var id = (await host.Store.JobInsertManyAsync(new JobInsertManyParams(
            [new JobInsertParams { Queue = "default", Name = "wake", Type = "wake", Payload = "{}", MaxAttempts = 3, RunAt = now }], now)))[0];
        // Leased by a worker that will never come back; the lease runs out 1.5 s after the engine starts.
        await host.Store.JobFetchAvailableAsync(new JobFetchParams("default", 1, "dead-worker", now, now + TimeSpan.FromSeconds(1.5)));
        await using var events = new EventRecorder(host.Monitor);
        await host.StartAsync();

        await events.WaitForAsync(id, JobEventKind.Stalled);
        await events.WaitForAsync(id, JobEventKind.Started, WellBeforeThePoll);
    }

    [Fact]
    public async Task Saving_the_outcome_backlog_wakes_a_worker_it_held_back()
    {
        // One outcome per commit and a backlog limit of two: no-op jobs finish far faster than they are
        // saved, so the loop stops fetching until the writer catches up. By then every slot is idle, so
        // only the writer's wake-up lets the queue go on before the 10 s poll.
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o =>
            {
                o.PollInterval = TimeSpan.FromSeconds(10);
                o.OutcomeBatchSize = 1;
                o.FetchBatchSize = 20;
                o.DefaultConcurrency = 8;
            })
            .Handle("wake", (_, _, _) => Task.FromResult(JobResult.Success())), start: false);
        await host.Store.MigrateAsync();
        var ids = new List<long>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await host.EnqueueAsync("wake"));
        }

        await host.StartAsync();
        await Eventually.UntilAsync(async () =>
        {
            var completed = 0;
            foreach (var id in ids)
            {
                completed += (await host.GetAsync(id))?.State == JobState.Completed ? 1 : 0;
            }
            return completed;
        }, n => n == ids.Count, $"all {ids.Count} jobs to complete", WellBeforeThePoll);
    }
}
