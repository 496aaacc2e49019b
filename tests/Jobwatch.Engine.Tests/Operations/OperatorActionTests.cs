using System.Collections.Concurrent;
using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Engine.Tests.Operations;

public class OperatorActionTests(ITestOutputHelper output)
{
    /// <summary>A handler that blocks until its token is cancelled, reporting when it started and when it was stopped.</summary>
    private sealed class BlockingScript
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource TokenCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Returned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<JobResult> RunAsync(TestArgs args, JobContext ctx, CancellationToken ct)
        {
            try
            {
                Started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return JobResult.Success();
            }
            finally
            {
                // Checked here rather than in a token callback: disposing a registration while the token
                // is being cancelled can drop the callback unrun.
                if (ct.IsCancellationRequested)
                {
                    TokenCancelled.TrySetResult();
                }
                Returned.TrySetResult();
            }
        }
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_its_handler_and_it_stays_cancelled()
    {
        var script = new BlockingScript();
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("blocking", script.RunAsync));
        await using var events = new EventRecorder(host.Monitor);

        var id = await host.EnqueueAsync("blocking");
        await Eventually.WithinAsync(script.Started.Task, "the handler to start");
        var result = await host.Client.CancelAsync(id, by: "operator");

        Assert.Equal(JobActionStatus.Done, result.Status);
        await Eventually.WithinAsync(script.TokenCancelled.Task, "the handler's token to be cancelled");
        await Eventually.WithinAsync(script.Returned.Task, "the handler to return");
        await Eventually.UntilAsync(() => !host.Running.TryGet(id, out _), "the engine to let go of the job");
        // Past a lease renewal, nothing has overwritten the cancellation.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var job = await host.GetRequiredAsync(id);
        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Equal(JobTimelineKinds.Cancelled, (await host.TimelineKindsAsync(id))[^1]);
        Assert.Contains(JobEventKind.Cancelled, events.KindsFor(id));
        Assert.DoesNotContain(JobEventKind.Failed, events.KindsFor(id));
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_not_allowed()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("quick", (_, _, _) => Task.FromResult(JobResult.Success())));
        var id = await host.EnqueueAsync("quick");
        await host.WaitForStateAsync(id, JobState.Completed);

        Assert.Equal(JobActionStatus.NotAllowed, (await host.Client.CancelAsync(id)).Status);
        Assert.Equal(JobActionStatus.NotFound, (await host.Client.CancelAsync(id + 1000)).Status);
    }

    [Fact]
    public async Task Deleting_a_running_job_stops_its_handler_and_the_job_stays_gone()
    {
        var script = new BlockingScript();
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("blocking", script.RunAsync));

        var id = await host.EnqueueAsync("blocking");
        await Eventually.WithinAsync(script.Started.Task, "the handler to start");

        Assert.True(await host.Client.DeleteAsync(id));
        await Eventually.WithinAsync(script.TokenCancelled.Task, "the handler's token to be cancelled");
        await Eventually.UntilAsync(() => !host.Running.TryGet(id, out _), "the engine to let go of the job");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Null(await host.GetAsync(id));
        Assert.Empty(await host.Store.JobTimelineListAsync(id));
        Assert.False(await host.Client.DeleteAsync(id));
    }

    [Fact]
    public async Task Retrying_a_dead_lettered_job_runs_it_again_with_fresh_attempts()
    {
        var rounds = 0;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("second_time_lucky", (_, _, _) => Interlocked.Increment(ref rounds) == 1
                ? throw new InvalidOperationException("first round fails")
                : Task.FromResult(JobResult.Success()), o => o.MaxAttempts = 1));
        await using var events = new EventRecorder(host.Monitor);

        var id = await host.EnqueueAsync("second_time_lucky");
        await host.WaitForStateAsync(id, JobState.Failed);
        var result = await host.Client.RetryAsync(id, by: "operator");
        Assert.Equal(JobActionStatus.Done, result.Status);

        var job = await host.WaitForStateAsync(id, JobState.Completed);
        Assert.Equal(1, job!.Attempt);
        Assert.Equal(200, job.StatusCode);
        Assert.Equal(2, Volatile.Read(ref rounds));
        Assert.Contains(JobTimelineKinds.Retried, await host.TimelineKindsAsync(id));
        await events.WaitForAsync(id, JobEventKind.Retried);
    }

    [Fact]
    public async Task Retrying_a_job_that_is_not_failed_or_cancelled_is_not_allowed()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("quick", (_, _, _) => Task.FromResult(JobResult.Success())));
        var id = await host.EnqueueAsync("quick");
        await host.WaitForStateAsync(id, JobState.Completed);
        Assert.Equal(JobActionStatus.NotAllowed, (await host.Client.RetryAsync(id)).Status);
    }

    [Fact]
    public async Task RetryDeadLetters_retries_only_the_jobs_matching_its_filter()
    {
        var failedOnce = new ConcurrentDictionary<long, bool>();
        Script failFirstRound = (_, ctx, _) => failedOnce.TryAdd(ctx.JobId, true)
            ? throw new InvalidOperationException("first round fails")
            : Task.FromResult(JobResult.Success());
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("a_fail", failFirstRound, o => o.MaxAttempts = 1)
            .Handle("b_fail", failFirstRound, o => o.MaxAttempts = 1));

        var a1 = await host.EnqueueAsync("a_fail");
        var a2 = await host.EnqueueAsync("a_fail");
        var b = await host.EnqueueAsync("b_fail");
        foreach (var id in new[] { a1, a2, b })
        {
            await host.WaitForStateAsync(id, JobState.Failed);
        }

        var retried = await host.Client.RetryDeadLettersAsync(new DeadLetterFilter { Name = "a_fail" }, by: "operator");

        Assert.Equal([a1, a2], retried.Order());
        await host.WaitForStateAsync(a1, JobState.Completed);
        await host.WaitForStateAsync(a2, JobState.Completed);
        Assert.Equal(JobState.Failed, (await host.GetRequiredAsync(b)).State);

        var byCode = await host.Client.RetryDeadLettersAsync(new DeadLetterFilter { StatusCode = 404 });
        Assert.Empty(byCode);
        Assert.Equal([b], await host.Client.RetryDeadLettersAsync(new DeadLetterFilter { StatusCode = 500 }));
        await host.WaitForStateAsync(b, JobState.Completed);
    }

    [Fact]
    public async Task A_paused_queue_is_not_fetched_from_until_it_is_resumed()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("paused_job", (_, _, _) => Task.FromResult(JobResult.Success()), o => o.Queue = "pausable"));
        await host.Client.PauseQueueAsync("pausable");

        var id = await host.EnqueueAsync("paused_job");
        // Ten poll intervals: a fetch that ignored the pause would have taken it by now.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var waiting = await host.GetRequiredAsync(id);
        Assert.Equal(JobState.Waiting, waiting.State);
        Assert.Equal(0, waiting.Attempt);
        Assert.True((await host.Monitor.GetQueuesAsync()).Single(q => q.Queue == "pausable").Counts.Paused);

        await host.Client.ResumeQueueAsync("pausable");
        await host.WaitForStateAsync(id, JobState.Completed);
        Assert.False((await host.Monitor.GetQueuesAsync()).Single(q => q.Queue == "pausable").Counts.Paused);
    }

    [Fact]
    public async Task With_concurrency_one_higher_priorities_run_first()
    {
        var order = new ConcurrentQueue<int>();
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.Queues["serial"] = new QueueOptions { Concurrency = 1 })
            .Handle("prioritised", (args, _, _) =>
            {
                order.Enqueue(args.Value);
                return Task.FromResult(JobResult.Success());
            }, o => o.Queue = "serial"));
        // Paused while enqueuing, so the worker sees all of them at once and must pick by priority.
        await host.Client.PauseQueueAsync("serial");
        var ids = new List<long>();
        foreach (var priority in new[] { 0, 10, -5, 5, 10, 1 })
        {
            ids.Add(await host.EnqueueAsync("prioritised", new TestArgs(priority), new EnqueueOptions { Priority = priority }));
        }
        await host.Client.ResumeQueueAsync("serial");
        foreach (var id in ids)
        {
            await host.WaitForStateAsync(id, JobState.Completed);
        }

        Assert.Equal([10, 10, 5, 1, 0, -5], order.ToArray());
    }

    [Fact]
    public async Task A_cancelled_waiting_job_never_runs_until_it_is_retried()
    {
        var runs = 0;
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("held", (_, _, _) =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(JobResult.Success());
        }, o => o.Queue = "held_queue"));
        await host.Client.PauseQueueAsync("held_queue");
        var id = await host.EnqueueAsync("held");

        Assert.Equal(JobActionStatus.Done, (await host.Client.CancelAsync(id)).Status);
        await host.Client.ResumeQueueAsync("held_queue");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(JobState.Cancelled, (await host.GetRequiredAsync(id)).State);
        Assert.Equal(0, Volatile.Read(ref runs));

        Assert.Equal(JobActionStatus.Done, (await host.Client.RetryAsync(id)).Status);
        var job = await host.WaitForStateAsync(id, JobState.Completed);
        Assert.Equal(1, job!.Attempt);
        Assert.Equal(1, Volatile.Read(ref runs));
    }
}
