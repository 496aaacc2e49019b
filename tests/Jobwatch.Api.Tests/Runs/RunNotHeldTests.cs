using System.Net;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Model;
using Jobwatch.Runs;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Jobwatch.Api.Tests.Runs.RunHttp;

namespace Jobwatch.Api.Tests.Runs;

/// <summary>Reports for ids this server cannot take: unknown (404), a queued job (404), and ended runs (409). Runs held by another process are adopted: see RunAdoptionTests.</summary>
public sealed class RunNotHeldTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _client = _server.Client(JobwatchRole.Reporter);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private RunReporter Reporter => (RunReporter)_server.Services.GetRequiredService<IRunReporter>();

    [Fact]
    public async Task An_unknown_id_is_a_404_for_every_action()
    {
        foreach (var action in new[] { "progress", "heartbeat", "complete" })
        {
            var detail = AssertProblem(HttpStatusCode.NotFound, await PostAsync(_client, $"api/v1/runs/987654/{action}", action == "progress" ? "{}" : null), "not-found");
            Assert.Contains("There is no run 987654", detail);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("api/v1/runs/987654")).StatusCode);
    }

    [Fact]
    public async Task A_queued_jobs_id_is_not_a_run()
    {
        var jobId = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("hi"));

        var detail = AssertProblem(HttpStatusCode.NotFound, await PostAsync(_client, $"api/v1/runs/{jobId}/heartbeat", null));

        Assert.Contains("queued job, not an external run", detail);
    }

    [Fact]
    public async Task Reports_after_complete_are_a_409_saying_the_run_completed()
    {
        var id = await StartAsync(_client, """{"name":"finished_early"}""");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(_client, $"api/v1/runs/{id}/complete", null)).Status);

        var progress = await PostAsync(_client, $"api/v1/runs/{id}/progress", """{"items_succeeded":1}""");
        var again = await PostAsync(_client, $"api/v1/runs/{id}/complete", null);

        var detail = AssertProblem(HttpStatusCode.Conflict, progress, "run-not-active");
        Assert.Equal($"Run {id} is not active (completed).", progress.Body.GetProperty("title").GetString());
        Assert.Contains("completed at", detail);
        AssertProblem(HttpStatusCode.Conflict, again, "run-not-active");
        Assert.Equal(0, (await _server.Monitor.GetJobAsync(id))!.View.Job.ItemsSucceeded);
        var get = await _client.GetAsync($"api/v1/runs/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task A_run_cancelled_by_an_operator_answers_409_cancelled_and_is_let_go()
    {
        var id = await StartAsync(_client, """{"name":"cancel_me"}""");
        Assert.Equal(1, Reporter.HeldCount);

        var cancelled = await _server.Jobs.CancelAsync(id, by: "ops-alice");
        Assert.Equal(JobActionStatus.Done, cancelled.Status);
        var progress = await PostAsync(_client, $"api/v1/runs/{id}/progress", """{"items_succeeded":1}""");

        var detail = AssertProblem(HttpStatusCode.Conflict, progress, "run-not-active");
        Assert.Contains("(cancelled)", progress.Body.GetProperty("title").GetString());
        Assert.Contains("cancelled at", detail);
        Assert.Equal(0, Reporter.HeldCount);
        Assert.Equal(JobState.Cancelled, (await _server.Monitor.GetJobAsync(id))!.View.Job.State);
    }

    [Fact]
    public async Task A_run_that_went_silent_is_marked_stalled_and_later_reports_get_409_stalled()
    {
        var id = await StartAsync(_client, """{"name":"went_silent","heartbeat_timeout_seconds":1}""");

        var stalled = await _server.WaitForJobAsync(id, j => j.State == JobState.Failed, "stalled (failed)");
        var progress = await PostAsync(_client, $"api/v1/runs/{id}/progress", """{"items_succeeded":1}""");

        Assert.Equal(503, stalled.StatusCode);
        var detail = AssertProblem(HttpStatusCode.Conflict, progress, "run-not-active");
        Assert.Equal($"Run {id} is not active (stalled).", progress.Body.GetProperty("title").GetString());
        Assert.Contains("heartbeat timeout", detail);
        Assert.Equal(0, Reporter.HeldCount);
    }

    [Fact]
    public async Task Two_completes_racing_record_one_outcome_and_the_other_gets_409()
    {
        var id = await StartAsync(_client, """{"name":"raced"}""");

        var answers = await Task.WhenAll(
            PostAsync(_client, $"api/v1/runs/{id}/complete", null),
            PostAsync(_client, $"api/v1/runs/{id}/fail", """{"error":"lost the race?"}"""));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Single(answers, a => a.Status == HttpStatusCode.Conflict);
        var job = (await _server.Monitor.GetJobAsync(id))!.View.Job;
        var winner = answers.Single(a => a.Status == HttpStatusCode.OK).Body.GetProperty("state").GetString();
        Assert.Equal(winner, job.State.ToName());
    }
}
