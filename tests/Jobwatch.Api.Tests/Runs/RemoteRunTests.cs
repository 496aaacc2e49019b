using System.Net;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Contracts.Runs;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Runs;

/// <summary>The .NET reporter (<see cref="RemoteRun"/>) against the real server: coalesced reports, background heartbeats, outcomes, abort.</summary>
public sealed class RemoteRunTests : IAsyncLifetime
{
    private static readonly RemoteRunOptions Manual = new() { ReportInterval = TimeSpan.FromHours(1), HeartbeatInterval = TimeSpan.FromHours(1) };
    private ApiTestServer _server = null!;
    private RequestCounter _requests = null!;
    private JobwatchClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _requests = new RequestCounter(new HttpClientHandler());
        var http = new HttpClient(_requests) { BaseAddress = _server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ApiTestServer.Secret(JobwatchRole.Reporter));
        _client = new JobwatchClient(http);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Items_are_counted_locally_and_sent_as_one_report_then_carried_by_complete()
    {
        await using var run = await _client.StartRunAsync(new StartRunRequest { Name = "bulk_import", TotalItems = 2000 }, Manual);
        for (var i = 0; i < 1000; i++)
        {
            run.ItemSucceeded();
        }
        run.ItemFailed(3);
        Assert.Equal(0, (await _server.Monitor.GetJobAsync(run.Id))!.View.Job.ItemsProcessed);
        Assert.Equal(0, _requests.Count("/progress"));

        await run.ReportAsync();

        Assert.Equal(1, _requests.Count("/progress"));
        var active = Assert.Single(await _server.Monitor.GetActiveAsync(), v => v.Job.Id == run.Id);
        Assert.Equal(1000, active.Job.ItemsSucceeded);
        Assert.Equal(3, active.Job.ItemsFailed);
        Assert.Equal(50.2, run.Status.ProgressPercent);

        for (var i = 0; i < 997; i++)
        {
            run.ItemSucceeded();
        }
        var final = await run.CompleteAsync(result: new { imported = 1997 });

        Assert.Equal(1, _requests.Count("/progress"));
        Assert.Equal(1, _requests.Count("/complete"));
        Assert.Equal(0, _requests.Count("/heartbeat"));
        Assert.Equal("completed", final.State);
        var job = (await _server.Monitor.GetJobAsync(run.Id))!.View.Job;
        Assert.Equal(1997, job.ItemsSucceeded);
        Assert.Equal("{\"imported\":1997}", job.Result);
    }

    [Fact]
    public async Task Progress_is_sent_in_the_background_without_being_asked()
    {
        await using var run = await _client.StartRunAsync(new StartRunRequest { Name = "background_report" },
            new RemoteRunOptions { ReportInterval = TimeSpan.FromMilliseconds(50) });
        run.SetTotal(10);
        run.ItemSucceeded(4);
        run.ReportCustom(new { batch = 2 });
        run.SetUpdatedBy("importer-1");

        var job = await _server.WaitForJobAsync(run.Id, j => j.ItemsSucceeded == 4 && j.CustomProgress is not null, "reported in the background");

        Assert.Equal(10, job.TotalItems);
        Assert.Equal("{\"batch\":2}", job.CustomProgress);
        Assert.Equal("importer-1", job.UpdatedBy);
        await run.CompleteAsync();
    }

    [Fact]
    public async Task Background_heartbeats_keep_a_run_alive_past_its_timeout()
    {
        await using var run = await _client.StartRunAsync(new StartRunRequest { Name = "long_quiet_step", HeartbeatTimeoutSeconds = 3 },
            new RemoteRunOptions { ReportInterval = TimeSpan.FromMilliseconds(100), HeartbeatInterval = TimeSpan.FromMilliseconds(200) });
        var started = run.Status.StartedAt!.Value;

        // The rescuer looks every 5 s: a lease renewed 10 s past the start has outlived the 3 s timeout through at least one pass.
        // (3 s rather than 1 s leaves room for the 500 ms progress flush on a loaded machine.)
        var job = await _server.WaitForJobAsync(run.Id, j => j.State != JobState.Active || j.LeaseUntil > started.AddSeconds(10), "kept alive for 10 s");

        Assert.True(job.State == JobState.Active, $"the run stalled although heartbeats were sent ({run.ReportsSent} sent, last error: {run.LastReportError?.Message})");
        Assert.Equal(0, job.StalledCount);
        Assert.True(_requests.Count("/heartbeat") >= 3);
        Assert.False(run.Aborted.IsCancellationRequested);
        await run.CompleteAsync();
    }

    [Fact]
    public async Task A_run_cancelled_by_an_operator_aborts_the_reporter()
    {
        await using var run = await _client.StartRunAsync(new StartRunRequest { Name = "cancelled_remotely" },
            new RemoteRunOptions { ReportInterval = TimeSpan.FromMilliseconds(50), HeartbeatInterval = TimeSpan.FromMilliseconds(100) });

        await _server.Jobs.CancelAsync(run.Id, by: "ops-alice");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!run.Aborted.IsCancellationRequested && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }
        Assert.True(run.Aborted.IsCancellationRequested, "the reporter was not told within 30 s that its run was cancelled");
        Assert.Contains("cancelled", run.AbortReason);
        var ex = await Assert.ThrowsAsync<JobwatchApiException>(() => run.CompleteAsync());
        Assert.Equal(HttpStatusCode.Conflict, ex.Status);
        Assert.Equal(JobState.Cancelled, (await _server.Monitor.GetJobAsync(run.Id))!.View.Job.State);
    }

    [Fact]
    public async Task Fail_with_an_exception_records_message_stack_and_code()
    {
        await using var run = await _client.StartRunAsync(new StartRunRequest { Name = "exploding_export" }, Manual);
        run.ItemFailed();
        InvalidOperationException thrown;
        try
        {
            throw new InvalidOperationException("the disk is full");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var final = await run.FailAsync(thrown, statusCode: 429);

        Assert.Equal("failed", final.State);
        var job = (await _server.Monitor.GetJobAsync(run.Id))!.View.Job;
        Assert.Equal("the disk is full", job.LastError);
        Assert.Contains(nameof(Fail_with_an_exception_records_message_stack_and_code), job.LastErrorStack);
        Assert.Equal(429, job.StatusCode);
        Assert.Equal(1, job.ItemsFailed);
    }

    [Fact]
    public async Task Disposing_a_run_that_was_not_finished_fails_it()
    {
        long id;
        await using (var run = await _client.StartRunAsync(new StartRunRequest { Name = "abandoned" }, Manual))
        {
            id = run.Id;
            run.ItemSucceeded(2);
        }

        var job = (await _server.Monitor.GetJobAsync(id))!.View.Job;
        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("disposed without being completed", job.LastError);
        Assert.Equal(2, job.ItemsSucceeded);
    }

    [Fact]
    public async Task Bad_values_are_refused_locally_and_a_bad_start_surfaces_the_servers_problem()
    {
        await using var run = await _client.StartRunAsync(new StartRunRequest { Name = "local_checks" }, Manual);
        Assert.Throws<ArgumentOutOfRangeException>(() => run.ItemSucceeded(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => run.ReportPercent(100.5));
        Assert.Throws<ArgumentException>(() => run.ReportCustom(new[] { 1, 2 }));
        await run.CompleteAsync();

        var ex = await Assert.ThrowsAsync<JobwatchApiException>(() => _client.StartRunAsync(new StartRunRequest { Name = "x", TotalItems = -5 }));
        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.True(ex.Errors.ContainsKey("total_items"));
    }

    /// <summary>Counts requests by path suffix, to show reports are coalesced.</summary>
    private sealed class RequestCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();

        public int Count(string suffix) => _paths.Count(p => p.EndsWith(suffix, StringComparison.Ordinal));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _paths.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
