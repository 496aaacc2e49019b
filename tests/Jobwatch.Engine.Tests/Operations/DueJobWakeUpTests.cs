using Jobwatch.Client;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;

namespace Jobwatch.Engine.Tests.Operations;

/// <summary>
/// Delayed jobs and retries start when they fall due, not at the next poll. The poll interval is 10 s, and the leader's
/// promotion round wakes nobody in a single process, so without the alarm each job here would start about 10 s late;
/// the 5 s bound leaves a busy machine room and still fails without it.
/// </summary>
public class DueJobWakeUpTests(ITestOutputHelper output)
{
    private static readonly TimeSpan WellBeforeThePoll = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_delayed_job_starts_when_due_and_not_before()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.PollInterval = TimeSpan.FromSeconds(10))
            .Handle("later", (_, _, _) => Task.FromResult(JobResult.Success())));
        await using var events = new EventRecorder(host.Monitor);
        await WakeUpTests.PutTheWorkerToSleepAsync(host, "later");

        var id = await host.EnqueueAsync("later", options: new EnqueueOptions { Delay = TimeSpan.FromMilliseconds(800) });
        var runAt = (await host.Monitor.GetJobAsync(id))!.View.Job.RunAt;

        var started = await events.WaitForAsync(id, JobEventKind.Started, TimeSpan.FromMilliseconds(800) + WellBeforeThePoll);
        Assert.True(started.At >= runAt, $"started at {started.At:O}, before its run_at {runAt:O}");
    }

    [Fact]
    public async Task A_retry_starts_when_its_backoff_ends()
    {
        var calls = 0;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o =>
            {
                o.PollInterval = TimeSpan.FromSeconds(10);
                o.Backoff.Base = o.Backoff.Max = TimeSpan.FromMilliseconds(800);
                o.Backoff.Jitter = 0;
            })
            .Handle("flaky", (args, _, _) => args.Value == 1 && Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("the first attempt fails")
                : Task.FromResult(JobResult.Success()), o => o.MaxAttempts = 2));
        await using var events = new EventRecorder(host.Monitor);
        await WakeUpTests.PutTheWorkerToSleepAsync(host, "flaky");

        var id = await host.EnqueueAsync("flaky", new TestArgs(1));
        var retrying = await events.WaitForAsync(id, JobEventKind.Retrying, WellBeforeThePoll);

        var second = await events.WaitForAsync(e => e.JobId == id && e.Kind == JobEventKind.Started && e.Attempt == 2,
            $"job {id}'s second attempt", TimeSpan.FromMilliseconds(800) + WellBeforeThePoll);
        Assert.True(second.At >= retrying.RetryAt, $"the retry started at {second.At:O}, before its backoff ended at {retrying.RetryAt:O}");
        await host.WaitForStateAsync(id, JobState.Completed);
    }
}
