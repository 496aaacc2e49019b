using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Handlers;
using Jobwatch.Model;

namespace Jobwatch.Engine.Tests.Monitoring;

public class MonitorViewTests(ITestOutputHelper output)
{
    private static readonly Script Succeed = (_, _, _) => Task.FromResult(JobResult.Success());

    [Fact]
    public async Task History_lists_started_jobs_newest_first_limited_and_by_name()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("alpha", Succeed).Handle("beta", Succeed));
        var ids = new List<long>();
        foreach (var name in new[] { "alpha", "beta", "alpha", "beta", "alpha" })
        {
            var id = await host.EnqueueAsync(name);
            await host.WaitForStateAsync(id, JobState.Completed);
            ids.Add(id);
        }
        var notStarted = await host.EnqueueAsync("alpha", options: new EnqueueOptions { Delay = TimeSpan.FromHours(1) });

        var latestTwo = await host.Monitor.GetHistoryAsync(limit: 2);
        Assert.Equal([ids[4], ids[3]], latestTwo.Select(v => v.Job.Id));

        var betas = await host.Monitor.GetHistoryAsync("beta");
        Assert.Equal([ids[3], ids[1]], betas.Select(v => v.Job.Id));
        Assert.All(betas, v =>
        {
            Assert.Equal(JobState.Completed, v.Job.State);
            Assert.NotNull(v.DurationSeconds);
            Assert.Equal(100, v.ProgressPercent);
        });

        var all = await host.Monitor.GetHistoryAsync(limit: 100);
        Assert.Equal(5, all.Count);
        Assert.DoesNotContain(all, v => v.Job.Id == notStarted);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Monitor.GetHistoryAsync(limit: 0));
    }

    [Fact]
    public async Task Summary_shows_the_latest_run_of_each_name_with_its_progress_string()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("counted", (_, ctx, _) =>
            {
                ctx.SetTotal(4);
                ctx.ItemSucceeded(4);
                return Task.FromResult(JobResult.Success());
            })
            .Handle("running", async (_, ctx, ct) =>
            {
                ctx.SetTotal(2847);
                ctx.ItemSucceeded(1500);
                ctx.ItemFailed(23);
                await release.Task.WaitAsync(ct);
                return JobResult.Success();
            })
            .Handle("percent", async (_, ctx, ct) =>
            {
                ctx.ReportPercent(42.5);
                await release.Task.WaitAsync(ct);
                return JobResult.Success();
            })
            .Handle("plain", Succeed));
        try
        {
            await host.WaitForStateAsync(await host.EnqueueAsync("counted"), JobState.Completed);
            await host.WaitForStateAsync(await host.EnqueueAsync("plain"), JobState.Completed);
            var runningId = await host.EnqueueAsync("running");
            await host.EnqueueAsync("percent");

            // The percent-only job's figure reaches the summary through storage, after one flush.
            var summary = await Eventually.UntilAsync(() => host.Monitor.GetSummaryAsync(),
                s => s.Count == 4 && s.Single(x => x.Name == "percent").Progress is not null && s.Single(x => x.Name == "running").Progress is not null,
                "all four names in the summary with live progress");

            Assert.Equal(["counted", "percent", "plain", "running"], summary.Select(x => x.Name));
            Assert.Equal("4/4 (100.0%)", summary.Single(x => x.Name == "counted").Progress);
            Assert.Equal("1523/2847 (53.5%)", summary.Single(x => x.Name == "running").Progress);
            Assert.Equal("42.5%", summary.Single(x => x.Name == "percent").Progress);
            Assert.Null(summary.Single(x => x.Name == "plain").Progress);
            Assert.Equal(runningId, summary.Single(x => x.Name == "running").LastJobId);
            Assert.Equal(JobState.Active, summary.Single(x => x.Name == "running").State);
            Assert.NotNull(summary.Single(x => x.Name == "counted").DurationSeconds);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task Queues_show_counts_by_state_pause_and_concurrency()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.Queues["held"] = new QueueOptions { Concurrency = 3 })
            .Handle("held_job", Succeed, o => o.Queue = "held")
            .Handle("ok", Succeed)
            .Handle("bad", (_, _, _) => throw new InvalidOperationException("no"), o => o.MaxAttempts = 1));

        await host.Client.PauseQueueAsync("held");
        await host.EnqueueAsync("held_job");
        await host.EnqueueAsync("held_job");
        await host.EnqueueAsync("held_job", options: new EnqueueOptions { Delay = TimeSpan.FromHours(1) });
        await host.WaitForStateAsync(await host.EnqueueAsync("ok"), JobState.Completed);
        await host.WaitForStateAsync(await host.EnqueueAsync("bad"), JobState.Failed);

        var queues = await host.Monitor.GetQueuesAsync();
        Assert.Equal(["default", "held"], queues.Select(q => q.Queue));

        var held = queues.Single(q => q.Queue == "held");
        Assert.True(held.Counts.Paused);
        Assert.Equal(2, held.Counts.Waiting);
        Assert.Equal(1, held.Counts.Delayed);
        Assert.Equal(0, held.Counts.Active);
        Assert.NotNull(held.Counts.OldestWaitingSince);
        Assert.Equal(3, held.Concurrency);
        Assert.Equal(0, held.Busy);

        var main = queues.Single(q => q.Queue == "default");
        Assert.False(main.Counts.Paused);
        Assert.Equal(1, main.Counts.Completed);
        Assert.Equal(1, main.Counts.Failed);
        Assert.Equal(0, main.Counts.Waiting);
        Assert.Equal(4, main.Concurrency);
    }

    [Fact]
    public async Task Dead_letter_stats_and_recent_list_describe_the_failed_jobs()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("missing", (_, _, _) => throw new JobFailedException(404, "gone"), o => o.MaxAttempts = 1)
            .Handle("broken", (_, _, _) => throw new InvalidOperationException("broken"), o => { o.Queue = "other"; o.MaxAttempts = 1; })
            .Handle("fine", Succeed));

        var first = await host.EnqueueAsync("missing");
        await host.WaitForStateAsync(first, JobState.Failed);
        var second = await host.EnqueueAsync("broken");
        await host.WaitForStateAsync(second, JobState.Failed);
        await host.WaitForStateAsync(await host.EnqueueAsync("fine"), JobState.Completed);

        var stats = (await host.Monitor.GetDeadLetterStatsAsync()).Counts;
        Assert.Equal(2, stats.Total);
        Assert.Equal(2, stats.Recent);
        Assert.Equal(1, stats.ByStatusCode[404]);
        Assert.Equal(1, stats.ByStatusCode[500]);
        Assert.Equal(1, stats.ByName["missing"]);
        Assert.Equal(1, stats.ByQueue["other"]);
        Assert.True(stats.OldestFailedAt <= stats.NewestFailedAt);

        var recent = await host.Monitor.GetDeadLetterRecentAsync(limit: 1);
        Assert.Equal(second, Assert.Single(recent).Job.Id);
        Assert.Equal([second, first], (await host.Monitor.GetDeadLetterRecentAsync()).Select(v => v.Job.Id));
    }

    [Fact]
    public async Task Job_detail_carries_the_view_and_the_timeline()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("detailed", Succeed));
        var id = await host.EnqueueAsync("detailed");
        await host.WaitForStateAsync(id, JobState.Completed);

        var detail = await host.Monitor.GetJobAsync(id);
        Assert.NotNull(detail);
        Assert.Equal(id, detail.View.Job.Id);
        Assert.Equal([JobTimelineKinds.Created, JobTimelineKinds.Started, JobTimelineKinds.Completed], detail.Timeline.Select(t => t.Kind));
        Assert.Null(await host.Monitor.GetJobAsync(id + 1000));
    }
}
