using System.Net;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Audit;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Model;
using Jobwatch.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>Retry, cancel, delete and bulk dead-letter retry: success shapes, 404 for unknown jobs, 409 when the state forbids it.</summary>
public sealed class JobActionTests : IAsyncLifetime
{
    private const string Operator = "test-operator (operator)";
    private ApiTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _client = _server.Client(JobwatchRole.Operator);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>A job dead-lettered with <paramref name="code"/>; the "critical" queue is paused after, so a retried job stays waiting.</summary>
    private async Task<long> FailedJobAsync(int code = 470)
    {
        await _server.Jobs.ResumeQueueAsync("critical");
        var id = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(code, "kaput"));
        await _server.WaitForJobAsync(id, j => j.State == JobState.Failed, "failed");
        await _server.Jobs.PauseQueueAsync("critical");
        return id;
    }

    private async Task<long> CompletedJobAsync()
    {
        var id = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await _server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");
        return id;
    }

    private async Task<JobState> StateAsync(long id) => (await _server.Monitor.GetJobAsync(id))!.View.Job.State;

    [Fact]
    public async Task Retrying_a_failed_job_sends_it_back_to_waiting_and_is_audited()
    {
        var id = await FailedJobAsync();
        var job = await (await _client.PostAsync($"api/v1/jobs/{id}/retry", null)).ReadJsonAsync();
        Assert.Equal(id, job.GetProperty("id").GetInt64());
        Assert.Equal("waiting", job.GetProperty("state").GetString());
        Assert.Equal(0, job.GetProperty("attempt").GetInt32());
        Assert.Equal(JobState.Waiting, await StateAsync(id));
        var entry = Assert.Single(await _server.AuditAsync(AuditActions.JobRetry));
        Assert.Equal(Operator, entry.Actor);
        Assert.Equal(AuditTargets.Job(id), entry.Target);
    }

    [Fact]
    public async Task Retrying_a_completed_job_is_409_and_changes_nothing()
    {
        var id = await CompletedJobAsync();
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync($"api/v1/jobs/{id}/retry", null), HttpStatusCode.Conflict,
            detailContains: $"Job {id} is completed; only failed or cancelled jobs can be retried");
        Assert.Equal(JobState.Completed, await StateAsync(id));
        Assert.Equal(AuditOutcomes.NotAllowed, Assert.Single(await _server.AuditAsync(AuditActions.JobRetry)).Outcome);
    }

    [Fact]
    public async Task Retrying_a_failed_external_run_is_409_explaining_why()
    {
        await using var run = await _server.Services.GetRequiredService<IRunReporter>().StartAsync(new RunOptions { Name = "ext_sync" });
        await run.FailAsync("upstream down");
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync($"api/v1/jobs/{run.Id}/retry", null), HttpStatusCode.Conflict, detailContains: "external run");
    }

    [Fact]
    public async Task Cancelling_a_delayed_job_then_cancelling_it_again()
    {
        var id = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs(), new EnqueueOptions { Delay = TimeSpan.FromHours(1) });
        var job = await (await _client.PostAsync($"api/v1/jobs/{id}/cancel", null)).ReadJsonAsync();
        Assert.Equal("cancelled", job.GetProperty("state").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, job.GetProperty("finished_at").ValueKind);
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync($"api/v1/jobs/{id}/cancel", null), HttpStatusCode.Conflict,
            detailContains: "is cancelled; only waiting, delayed or active jobs can be cancelled");
        var entries = await _server.AuditAsync(AuditActions.JobCancel);
        Assert.Equal([AuditOutcomes.NotAllowed, AuditOutcomes.Ok], entries.Select(e => e.Outcome));
        Assert.All(entries, e => Assert.Equal(Operator, e.Actor));
    }

    [Fact]
    public async Task Cancelling_a_failed_job_is_409()
    {
        var id = await FailedJobAsync();
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync($"api/v1/jobs/{id}/cancel", null), HttpStatusCode.Conflict, detailContains: "is failed");
        Assert.Equal(JobState.Failed, await StateAsync(id));
    }

    [Fact]
    public async Task Cancelling_a_running_job()
    {
        var id = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(4));
        await _server.WaitForJobAsync(id, j => j.State == JobState.Active, "active");
        var job = await (await _client.PostAsync($"api/v1/jobs/{id}/cancel", null)).ReadJsonAsync();
        Assert.Equal("cancelled", job.GetProperty("state").GetString());
        Assert.Equal(JobState.Cancelled, await StateAsync(id));
    }

    [Fact]
    public async Task Deleting_a_job_removes_it_and_a_second_delete_is_404()
    {
        var id = await CompletedJobAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"api/v1/jobs/{id}")).StatusCode);
        await JobsTestKit.AssertProblemAsync(await _client.GetAsync($"api/v1/jobs/{id}"), HttpStatusCode.NotFound);
        await JobsTestKit.AssertProblemAsync(await _client.DeleteAsync($"api/v1/jobs/{id}"), HttpStatusCode.NotFound);
        Assert.Equal([AuditOutcomes.NotFound, AuditOutcomes.Ok], (await _server.AuditAsync(AuditActions.JobDelete)).Select(e => e.Outcome));
    }

    [Fact]
    public async Task Actions_on_an_unknown_job_are_404()
    {
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync("api/v1/jobs/424242/retry", null), HttpStatusCode.NotFound, detailContains: "424242");
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync("api/v1/jobs/424242/cancel", null), HttpStatusCode.NotFound, detailContains: "424242");
        await JobsTestKit.AssertProblemAsync(await _client.DeleteAsync("api/v1/jobs/424242"), HttpStatusCode.NotFound, detailContains: "424242");
    }

    [Fact]
    public async Task Actions_need_an_operating_role()
    {
        var id = await FailedJobAsync();
        using var viewer = _server.Client(JobwatchRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"api/v1/jobs/{id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"api/v1/jobs/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"api/v1/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostJsonAsync("api/v1/jobs/dead-letters/retry", "{}")).StatusCode);
        Assert.Equal(JobState.Failed, await StateAsync(id));
    }

    [Fact]
    public async Task Bulk_retry_takes_the_dead_letters_matching_the_filter()
    {
        var a = await FailedJobAsync(470);
        var b = await FailedJobAsync(470);
        var c = await FailedJobAsync(500);
        var completed = await CompletedJobAsync();

        var first = await (await _client.PostJsonAsync("api/v1/jobs/dead-letters/retry", """{"status_code":470,"queue":"critical"}""")).ReadJsonAsync();
        Assert.Equal(2, first.GetProperty("count").GetInt32());
        Assert.Equal(new[] { a, b }, first.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).Order());
        Assert.Equal(JobState.Failed, await StateAsync(c));

        var none = await (await _client.PostJsonAsync("api/v1/jobs/dead-letters/retry", """{"failed_before":"2000-01-01T00:00:00Z"}""")).ReadJsonAsync();
        Assert.Equal(0, none.GetProperty("count").GetInt32());

        var rest = await (await _client.PostJsonAsync("api/v1/jobs/dead-letters/retry", "{}")).ReadJsonAsync();
        Assert.Equal([c], rest.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Equal(JobState.Waiting, await StateAsync(c));
        Assert.Equal(JobState.Completed, await StateAsync(completed));
        Assert.All(await _server.AuditAsync(AuditActions.DeadLetterRetry), e => Assert.Equal(Operator, e.Actor));
    }

    [Theory]
    [InlineData("""{"limit":0}""", "limit")]
    [InlineData("""{"limit":10001}""", "limit")]
    [InlineData("""{"status_code":5}""", "status_code")]
    [InlineData("""{"failed_after":"2025-02-01T00:00:00Z","failed_before":"2025-01-01T00:00:00Z"}""", "failed_after")]
    [InlineData("""{"limit":"many"}""", null)]
    [InlineData("""{"everything":true}""", null)]
    [InlineData("""null""", null)]
    public async Task A_bad_bulk_retry_filter_is_400_and_retries_nothing(string body, string? field)
    {
        var id = await FailedJobAsync();
        await JobsTestKit.AssertProblemAsync(await _client.PostJsonAsync("api/v1/jobs/dead-letters/retry", body), HttpStatusCode.BadRequest, field);
        Assert.Equal(JobState.Failed, await StateAsync(id));
        Assert.Empty(await _server.AuditAsync(AuditActions.DeadLetterRetry));
    }

    [Fact]
    public async Task A_bulk_retry_without_a_body_is_refused()
    {
        var id = await FailedJobAsync();
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync("api/v1/jobs/dead-letters/retry", null), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(JobState.Failed, await StateAsync(id));
    }
}
