using System.Diagnostics;
using Jobwatch.Client;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;

namespace Jobwatch.Engine.Tests.Progress;

public class ProgressTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ten_thousand_reports_cause_a_handful_of_writes_while_subscribers_see_them_live()
    {
        const int items = 10_000;
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("hot_loop", async (_, ctx, ct) =>
            {
                ctx.SetTotal(items);
                // About one second of reporting, as fast as the loop goes between short pauses.
                for (var batch = 0; batch < 100; batch++)
                {
                    for (var i = 0; i < items / 100; i++)
                    {
                        ctx.ItemSucceeded();
                    }
                    await Task.Delay(10, ct);
                }
                return JobResult.Success();
            }));
        await using var events = new EventRecorder(host.Monitor);

        var writesBefore = host.Flusher.WriteCount;
        var clock = Stopwatch.StartNew();
        var id = await host.EnqueueAsync("hot_loop");
        var job = await host.WaitForStateAsync(id, JobState.Completed);
        clock.Stop();
        var writes = host.Flusher.WriteCount - writesBefore;

        // One write per flush interval (100 ms) at most, never one per report.
        output.WriteLine($"{writes} progress writes in {clock.ElapsedMilliseconds} ms");
        Assert.InRange(writes, 1, Math.Min(200, clock.ElapsedMilliseconds / 100 + 5));

        Assert.Equal(items, job!.TotalItems);
        Assert.Equal(items, job.ItemsSucceeded);
        Assert.Equal(0, job.ItemsFailed);

        await events.WaitForAsync(id, JobEventKind.Completed);
        var progress = events.For(id).Where(e => e.Kind == JobEventKind.Progress).Select(e => e.Progress!.ItemsSucceeded).ToArray();
        Assert.NotEmpty(progress);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.First <= p.Second), "progress went backwards for a subscriber");
        Assert.Equal(items, events.For(id).Single(e => e.Kind == JobEventKind.Completed).Progress!.ItemsSucceeded);
        Assert.Equal(JobEventKind.Completed, events.KindsFor(id, withProgress: true)[^1]);
    }

    [Fact]
    public async Task Progress_reaches_storage_while_the_job_runs()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("reporting", async (_, ctx, ct) =>
            {
                ctx.SetTotal(10);
                ctx.ItemSucceeded(3);
                ctx.ItemFailed();
                ctx.ReportCustom(new { batch = 1, totalBatches = 5 });
                // Last, so once it is stored every report before it is too (a flush snapshots all fields at once).
                ctx.SetUpdatedBy("OSINT-CHARACTER-SYNC");
                await release.Task.WaitAsync(ct);
                return JobResult.Success();
            }));

        var id = await host.EnqueueAsync("reporting");
        try
        {
            var stored = await Eventually.UntilAsync(() => host.GetAsync(id), j => j is { UpdatedBy: "OSINT-CHARACTER-SYNC" },
                "the handler's last report to be flushed to storage");
            Assert.Equal(JobState.Active, stored!.State);
            Assert.Equal(10, stored.TotalItems);
            Assert.Equal(3, stored.ItemsSucceeded);
            Assert.Equal("{\"batch\":1,\"totalBatches\":5}", stored.CustomProgress);
            Assert.Equal("OSINT-CHARACTER-SYNC", stored.UpdatedBy);
            Assert.NotNull(stored.ProgressAt);
        }
        finally
        {
            release.TrySetResult();
        }
        var done = await host.WaitForStateAsync(id, JobState.Completed);
        Assert.Equal("OSINT-CHARACTER-SYNC", done!.UpdatedBy);
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_does_not_stop_jobs_completing()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("many", (_, ctx, _) =>
            {
                ctx.SetTotal(3);
                ctx.ItemSucceeded(3);
                return Task.FromResult(JobResult.Success());
            }));
        using var sleeper = host.Monitor.Subscribe(capacity: 10);

        var ids = await host.Client.EnqueueManyAsync(Enumerable.Range(0, 50).Select(i => new JobEnqueueRequest("many", new TestArgs(i))).ToArray());
        foreach (var id in ids)
        {
            await host.WaitForStateAsync(id, JobState.Completed);
        }

        // It was ended rather than fed forever, and nothing it missed was silently skipped.
        var buffered = 0;
        Assert.Throws<SubscriberTooSlowException>(() =>
        {
            while (sleeper.TryRead(out _))
            {
                buffered++;
            }
        });
        Assert.InRange(buffered, 10, 10 + ids.Count);
    }

    [Fact]
    public async Task Active_jobs_show_live_reported_percent_before_it_is_flushed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(output, s => s
            // No flush during the test: what the monitor shows must come from the live tracker.
            .Configure(o => o.ProgressFlushInterval = TimeSpan.FromMinutes(5))
            .Handle("percent_only", async (_, ctx, ct) =>
            {
                ctx.ReportPercent(42.5);
                reported.TrySetResult();
                await release.Task.WaitAsync(ct);
                return JobResult.Success();
            })
            .Handle("items", async (_, ctx, ct) =>
            {
                ctx.SetTotal(10);
                ctx.ItemSucceeded(3);
                await release.Task.WaitAsync(ct);
                return JobResult.Success();
            }));

        try
        {
            var items = await host.EnqueueAsync("items");
            var percent = await host.EnqueueAsync("percent_only");
            await Eventually.WithinAsync(reported.Task, "the handler to report");
            // Both handlers report before blocking; wait until each has (only "percent_only" signals it).
            var active = await Eventually.UntilAsync(() => host.Monitor.GetActiveAsync(),
                a => a.Count == 2 && a.All(v => v.ProgressPercent is not null), "both jobs to be active and to have reported");

            Assert.Equal(30.0, active.Single(v => v.Job.Id == items).ProgressPercent);
            Assert.Equal(42.5, active.Single(v => v.Job.Id == percent).ProgressPercent);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}
