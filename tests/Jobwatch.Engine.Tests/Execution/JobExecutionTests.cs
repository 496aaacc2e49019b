using Jobwatch.Client;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.StatusCodes;

namespace Jobwatch.Engine.Tests.Execution;

public class JobExecutionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_job_runs_and_completes_with_its_code_result_timeline_and_events()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("tick_sync", (args, ctx, ct) => Task.FromResult(JobResult.Code(201, new { synced = args.Value }))));
        await using var events = new EventRecorder(host.Monitor);

        var id = await host.EnqueueAsync("tick_sync", new TestArgs(42), new EnqueueOptions { CreatedBy = "OSINT-GUILD-ROSTER" });
        var job = await host.WaitForStateAsync(id, JobState.Completed);

        Assert.Equal(201, job!.StatusCode);
        Assert.Equal("SUCCESS_201", job.StatusLabel);
        Assert.Equal("{\"synced\":42}", job.Result);
        Assert.Equal("OSINT-GUILD-ROSTER", job.CreatedBy);
        Assert.Equal(1, job.Attempt);
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.FinishedAt);
        Assert.True(job.FinishedAt >= job.StartedAt);
        Assert.Equal([JobTimelineKinds.Created, JobTimelineKinds.Started, JobTimelineKinds.Completed], await host.TimelineKindsAsync(id));

        var completed = await events.WaitForAsync(id, JobEventKind.Completed);
        Assert.Equal(201, completed.StatusCode);
        Assert.NotNull(completed.DurationMs);
        Assert.Equal([JobEventKind.Created, JobEventKind.Started, JobEventKind.Completed], events.KindsFor(id));
    }

    [Fact]
    public async Task A_skip_code_completes_the_job_without_an_error()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .With(b => b.AddStatusCode(370, "NOT_EU_REGION", "Only EU characters are synced"))
            .Handle("eu_only", (_, _, _) => Task.FromResult(JobResult.Skipped(370, "US character"))));

        var id = await host.EnqueueAsync("eu_only");
        var job = await host.WaitForStateAsync(id, JobState.Completed);

        Assert.Equal(370, job!.StatusCode);
        Assert.Equal("NOT_EU_REGION", job.StatusLabel);
        Assert.Null(job.LastError);
    }

    [Fact]
    public async Task A_failing_job_is_retried_with_backoff_and_then_succeeds()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => { o.Backoff.Base = TimeSpan.FromMilliseconds(100); o.Backoff.Jitter = 0.25; })
            .Handle("flaky", (_, ctx, _) => ctx.Attempt < 3
                ? throw new JobFailedException(JobStatusCodes.RateLimited, $"rate limited on attempt {ctx.Attempt}")
                : Task.FromResult(JobResult.Success()), o => o.MaxAttempts = 3));
        await using var events = new EventRecorder(host.Monitor);

        var id = await host.EnqueueAsync("flaky");
        var job = await host.WaitForStateAsync(id, JobState.Completed);

        Assert.Equal(3, job!.Attempt);
        Assert.Equal(200, job.StatusCode);
        Assert.Equal(
            [JobTimelineKinds.Created, JobTimelineKinds.Started, JobTimelineKinds.Retrying, JobTimelineKinds.Started, JobTimelineKinds.Retrying, JobTimelineKinds.Started, JobTimelineKinds.Completed],
            await host.TimelineKindsAsync(id));

        await events.WaitForAsync(id, JobEventKind.Completed);
        var retries = events.For(id).Where(e => e.Kind == JobEventKind.Retrying).ToArray();
        Assert.Equal(2, retries.Length);
        Assert.All(retries, r => Assert.True(r.WillRetry));
        // Base × 2^(attempt−1) ± 25 %: 100 ms after attempt 1, 200 ms after attempt 2.
        Assert.InRange((retries[0].RetryAt!.Value - retries[0].At).TotalMilliseconds, 75, 125);
        Assert.InRange((retries[1].RetryAt!.Value - retries[1].At).TotalMilliseconds, 150, 250);

        // No attempt started before its backoff had passed (compared at storage's microsecond precision).
        var starts = (await host.Store.JobTimelineListAsync(id)).Where(t => t.Kind == JobTimelineKinds.Started).Select(t => t.At).ToArray();
        static DateTimeOffset Micros(DateTimeOffset t) => t.AddTicks(-(t.Ticks % 10));
        Assert.True(starts[1] >= Micros(retries[0].RetryAt!.Value), $"attempt 2 started at {starts[1]:O}, before its retry time {retries[0].RetryAt:O}");
        Assert.True(starts[2] >= Micros(retries[1].RetryAt!.Value), $"attempt 3 started at {starts[2]:O}, before its retry time {retries[1].RetryAt:O}");
    }

    [Fact]
    public async Task A_retryable_code_is_retried_until_attempts_run_out()
    {
        var runs = 0;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("throttled", (_, _, _) =>
            {
                Interlocked.Increment(ref runs);
                return Task.FromResult(JobResult.Error(JobStatusCodes.RateLimited, "slow down"));
            }, o => o.MaxAttempts = 3));

        var id = await host.EnqueueAsync("throttled");
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(3, job!.Attempt);
        Assert.Equal(3, Volatile.Read(ref runs));
        Assert.Equal(429, job.StatusCode);
        Assert.Equal("RATE_LIMITED", job.StatusLabel);
        Assert.Equal("slow down", job.LastError);
    }

    [Fact]
    public async Task A_registered_non_retryable_code_is_dead_lettered_at_once()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .With(b => b.AddStatusCode(460, "QUOTA_EXHAUSTED", "The API quota is gone for today", retryable: false))
            .Handle("quota", (_, _, _) => Task.FromResult(JobResult.Error(460, "quota gone")), o => o.MaxAttempts = 5));

        var id = await host.EnqueueAsync("quota");
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(1, job!.Attempt);
        Assert.Equal(460, job.StatusCode);
        Assert.Equal("QUOTA_EXHAUSTED", job.StatusLabel);
        Assert.Contains(JobTimelineKinds.DeadLettered, await host.TimelineKindsAsync(id));
    }

    [Fact]
    public async Task An_unregistered_error_code_is_not_retried()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("teapot", (_, _, _) => Task.FromResult(JobResult.Code(418)), o => o.MaxAttempts = 5));

        var id = await host.EnqueueAsync("teapot");
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(1, job!.Attempt);
        Assert.Equal(418, job.StatusCode);
        Assert.Equal("ERROR_418", job.StatusLabel);
    }

    [Fact]
    public async Task An_unhandled_exception_exhausts_the_attempts_and_dead_letters_with_error_and_stack()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("crashy", (_, _, _) => Crash.ThrowFromADeepMethod(), o => o.MaxAttempts = 2));
        await using var events = new EventRecorder(host.Monitor);

        var id = await host.EnqueueAsync("crashy");
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(2, job!.Attempt);
        Assert.Equal(JobStatusCodes.InternalError, job.StatusCode);
        Assert.Equal("INTERNAL_ERROR", job.StatusLabel);
        Assert.Equal("the database is on fire", job.LastError);
        Assert.Contains(nameof(Crash.ThrowFromADeepMethod), job.LastErrorStack);
        Assert.Contains(nameof(InvalidOperationException), job.LastErrorStack);
        Assert.NotNull(job.FinishedAt);

        var dead = await events.WaitForAsync(id, JobEventKind.DeadLettered);
        Assert.Equal("the database is on fire", dead.Error);
        Assert.Equal([JobEventKind.Created, JobEventKind.Started, JobEventKind.Failed, JobEventKind.Retrying, JobEventKind.Started, JobEventKind.Failed, JobEventKind.DeadLettered],
            events.KindsFor(id));
    }

    [Fact]
    public async Task JobFailedException_fails_the_attempt_with_its_code_and_message()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("lookup", (_, _, _) => throw new JobFailedException(JobStatusCodes.NotFound, "character Thrall does not exist"), o => o.MaxAttempts = 3));

        var id = await host.EnqueueAsync("lookup");
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(1, job!.Attempt); // 404 is not retryable
        Assert.Equal(404, job.StatusCode);
        Assert.Equal("NOT_FOUND", job.StatusLabel);
        Assert.Equal("character Thrall does not exist", job.LastError);
        Assert.Contains(nameof(JobFailedException), job.LastErrorStack);
    }

    [Fact]
    public async Task A_job_past_its_timeout_is_cancelled_and_fails_with_408()
    {
        var tokenCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("slow", async (_, ctx, ct) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    // Checked here rather than in a token callback: disposing a registration while the token
                    // is being cancelled can drop the callback unrun.
                    if (ct.IsCancellationRequested)
                    {
                        tokenCancelled.TrySetResult();
                    }
                }
                return JobResult.Success();
            }, o => o.MaxAttempts = 1));

        var id = await host.EnqueueAsync("slow", options: new EnqueueOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        var job = await host.WaitForStateAsync(id, JobState.Failed);

        Assert.True(tokenCancelled.Task.IsCompleted, "the handler's token was not cancelled");
        Assert.Equal(JobStatusCodes.Timeout, job!.StatusCode);
        Assert.Equal("TIMEOUT", job.StatusLabel);
        Assert.Contains("timeout", job.LastError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_handlers_default_timeout_applies_when_the_enqueue_gives_none()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("slow_default", async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return JobResult.Success();
            }, o => { o.MaxAttempts = 1; o.Timeout = TimeSpan.FromMilliseconds(300); }));

        var id = await host.EnqueueAsync("slow_default");
        var job = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(JobStatusCodes.Timeout, job!.StatusCode);
    }

    [Fact]
    public async Task Args_metadata_and_context_reach_the_handler()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("ctx", (args, ctx, _) =>
            {
                seen.TrySetResult($"{args.Value}|{args.Text}|{ctx.Name}|{ctx.Queue}|{ctx.Attempt}/{ctx.MaxAttempts}|{ctx.CreatedBy}|{ctx.MetadataJson}");
                return Task.FromResult(JobResult.Success());
            }, o => { o.Queue = "ctx_queue"; o.MaxAttempts = 4; }));

        await host.EnqueueAsync("ctx", new TestArgs(7, "hello"), new EnqueueOptions { CreatedBy = "me", Metadata = new { Source = "test" } });
        Assert.Equal("7|hello|ctx|ctx_queue|1/4|me|{\"source\":\"test\"}", await Eventually.WithinAsync(seen.Task, "the handler to run"));
    }
}

internal static class Crash
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static Task<JobResult> ThrowFromADeepMethod() => throw new InvalidOperationException("the database is on fire");
}
