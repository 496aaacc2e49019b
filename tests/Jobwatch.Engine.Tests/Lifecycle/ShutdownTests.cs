using System.Diagnostics;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Engine.Tests.Lifecycle;

public class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_job_that_finishes_within_the_shutdown_timeout_completes()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenCancelled = false;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20))
            .Handle("short", async (_, _, ct) =>
            {
                started.TrySetResult();
                // Finishes on its own, well inside the shutdown timeout, without watching the token.
                await Task.Delay(500, CancellationToken.None);
                tokenCancelled = ct.IsCancellationRequested;
                return JobResult.Success();
            }));

        var id = await host.EnqueueAsync("short");
        await Eventually.WithinAsync(started.Task, "the handler to start");
        await host.StopAsync();

        var job = await host.GetRequiredAsync(id);
        Assert.Equal(JobState.Completed, job.State);
        Assert.False(tokenCancelled, "a handler that finished in time should not have seen its token cancelled");
    }

    [Fact]
    public async Task A_job_still_running_at_the_shutdown_timeout_is_released_with_its_attempt_given_back()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1))
            .Handle("long", async (_, _, ct) =>
            {
                started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    if (ct.IsCancellationRequested)
                    {
                        tokenCancelled.TrySetResult();
                    }
                }
                return JobResult.Success();
            }, o => o.MaxAttempts = 3));

        var id = await host.EnqueueAsync("long");
        await Eventually.WithinAsync(started.Task, "the handler to start");
        await host.StopAsync();

        Assert.True(tokenCancelled.Task.IsCompleted, "the handler's token was not cancelled at the shutdown timeout");
        var job = await host.GetRequiredAsync(id);
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal(0, job.Attempt);
        Assert.Null(job.WorkerId);
        Assert.Null(job.LeaseUntil);
        Assert.Null(job.LastError);
        Assert.Contains(JobTimelineKinds.Released, await host.TimelineKindsAsync(id));
        var active = await host.Store.JobListAsync(new JobListParams { States = [JobState.Active] });
        Assert.Empty(active);
    }

    [Fact]
    public async Task A_handler_that_stops_on_the_shutdown_token_is_released_at_once_with_its_progress()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerTokenCancelled = false;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60))
            .Handle("itemwise", async (_, ctx, ct) =>
            {
                ctx.SetTotal(100_000);
                for (var i = 0; i < 100_000; i++)
                {
                    ctx.ShutdownToken.ThrowIfCancellationRequested();
                    ctx.ItemSucceeded();
                    started.TrySetResult();
                    await Task.Delay(5, CancellationToken.None);
                }
                handlerTokenCancelled = ct.IsCancellationRequested;
                return JobResult.Success();
            }));

        var id = await host.EnqueueAsync("itemwise");
        await Eventually.WithinAsync(started.Task, "the handler to start");
        var clock = Stopwatch.StartNew();
        await host.StopAsync();

        // Far below the 60 s shutdown timeout: the stop did not wait it out.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {clock.Elapsed}");
        Assert.False(handlerTokenCancelled);
        var job = await host.GetRequiredAsync(id);
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal(0, job.Attempt);
        Assert.Null(job.LastError);
        Assert.Equal(100_000, job.TotalItems);
        Assert.InRange(job.ItemsSucceeded, 1, 99_999);
    }
}
