using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Runs;
using Jobwatch.StatusCodes;

namespace Jobwatch.Engine.Tests.Runs;

public class ExternalRunTests(ITestOutputHelper output)
{
    private static Task<EngineHost> StartAsync(ITestOutputHelper output) => EngineHost.StartAsync(output, _ => { });

    [Fact]
    public async Task A_started_run_is_active_with_its_progress_and_completes_into_history()
    {
        await using var host = await StartAsync(output);
        await using var events = new EventRecorder(host.Monitor);

        var run = await host.Runs.StartAsync(new RunOptions { Name = "nightly_import", TotalItems = 200, CreatedBy = "cron" });
        run.ItemSucceeded(40);
        run.ItemFailed(10);

        var active = await host.Monitor.GetActiveAsync();
        var view = Assert.Single(active);
        Assert.Equal(run.Id, view.Job.Id);
        Assert.True(view.Job.IsExternal);
        Assert.Equal("external", view.Job.Queue);
        Assert.Equal(200, view.Job.TotalItems);
        Assert.Equal(50, view.Job.ItemsProcessed);
        Assert.Equal(25.0, view.ProgressPercent);

        await run.CompleteAsync(result: new { imported = 40 });

        var job = await host.GetRequiredAsync(run.Id);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(200, job.StatusCode);
        Assert.Equal(40, job.ItemsSucceeded);
        Assert.Equal("{\"imported\":40}", job.Result);
        var history = await host.Monitor.GetHistoryAsync("nightly_import");
        Assert.Equal(JobState.Completed, Assert.Single(history).Job.State);
        Assert.Empty(await host.Monitor.GetActiveAsync());

        await events.WaitForAsync(run.Id, JobEventKind.Completed);
        Assert.Equal([JobEventKind.Created, JobEventKind.Started, JobEventKind.Completed], events.KindsFor(run.Id));
        Assert.Contains(JobEventKind.Progress, events.KindsFor(run.Id, withProgress: true));
    }

    [Fact]
    public async Task A_failed_run_goes_to_the_dead_letter_list()
    {
        await using var host = await StartAsync(output);

        var run = await host.Runs.StartAsync(new RunOptions { Name = "report_export" });
        await run.FailAsync("the SFTP server refused the upload", JobStatusCodes.RateLimited);

        var job = await host.GetRequiredAsync(run.Id);
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal(429, job.StatusCode);
        Assert.Equal("the SFTP server refused the upload", job.LastError);
        Assert.Equal(run.Id, Assert.Single(await host.Monitor.GetDeadLetterRecentAsync()).Job.Id);
    }

    [Fact]
    public async Task A_run_that_stops_reporting_is_marked_stalled_and_cannot_complete_afterwards()
    {
        await using var host = await StartAsync(output);
        await using var events = new EventRecorder(host.Monitor);

        var run = await host.Runs.StartAsync(new RunOptions { Name = "silent", HeartbeatTimeout = TimeSpan.FromSeconds(1) });
        var job = await host.WaitForStateAsync(run.Id, JobState.Failed);

        Assert.Equal(JobStatusCodes.Stalled, job!.StatusCode);
        Assert.Equal("STALLED", job.StatusLabel);
        Assert.Equal(1, job.StalledCount);
        await events.WaitForAsync(run.Id, JobEventKind.Stalled);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => run.CompleteAsync());
        Assert.Contains("stalled", ex.Message);
        Assert.Equal(JobState.Failed, (await host.GetRequiredAsync(run.Id)).State);
    }

    [Fact]
    public async Task Reports_keep_a_run_alive_past_its_heartbeat_timeout()
    {
        await using var host = await StartAsync(output);

        var run = await host.Runs.StartAsync(new RunOptions { Name = "chatty", HeartbeatTimeout = TimeSpan.FromSeconds(2) });
        // Four heartbeat timeouts' worth of reports, one every 100 ms.
        for (var i = 0; i < 80; i++)
        {
            run.ItemSucceeded();
            await Task.Delay(100);
        }

        Assert.Equal(JobState.Active, (await host.GetRequiredAsync(run.Id)).State);
        await run.CompleteAsync();
        Assert.Equal(JobState.Completed, (await host.GetRequiredAsync(run.Id)).State);
    }

    [Fact]
    public async Task Completing_twice_or_with_an_error_code_is_refused()
    {
        await using var host = await StartAsync(output);

        var run = await host.Runs.StartAsync(new RunOptions { Name = "twice" });
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run.CompleteAsync(500));
        await run.CompleteAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => run.CompleteAsync());
    }

    [Fact]
    public async Task Disposing_an_unfinished_run_fails_it()
    {
        await using var host = await StartAsync(output);

        long id;
        await using (var run = await host.Runs.StartAsync(new RunOptions { Name = "abandoned" }))
        {
            id = run.Id;
        }

        var job = await host.GetRequiredAsync(id);
        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("disposed", job.LastError);
    }
}
