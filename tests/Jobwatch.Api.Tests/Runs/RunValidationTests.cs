using System.Net;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using static Jobwatch.Api.Tests.Runs.RunHttp;

namespace Jobwatch.Api.Tests.Runs;

/// <summary>Bad run reports get a 400 problem naming every bad field, and change nothing; roles are enforced.</summary>
public sealed class RunValidationTests : IAsyncLifetime
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

    [Theory]
    [InlineData("""{"type":"x"}""", "name")]
    [InlineData("""{"name":"  "}""", "name")]
    [InlineData("""{"name":"ok","total_items":-1}""", "total_items")]
    [InlineData("""{"name":"ok","metadata":[1,2]}""", "metadata")]
    [InlineData("""{"name":"ok","heartbeat_timeout_seconds":0.5}""", "heartbeat_timeout_seconds")]
    [InlineData("""{"name":"ok","heartbeat_timeout_seconds":100000}""", "heartbeat_timeout_seconds")]
    [InlineData("""{"name":"ok","queue":"has spaces"}""", "queue")]
    [InlineData("""{"name":"ok","created_by":""}""", "created_by")]
    [InlineData("""{"name":"ok","colour":"red"}""", "colour")]
    public async Task A_bad_start_is_a_400_that_names_the_field_and_starts_nothing(string body, string field)
    {
        var answer = await PostAsync(_client, "api/v1/runs", body);

        var detail = AssertProblem(HttpStatusCode.BadRequest, answer);
        Assert.Contains(field, detail, StringComparison.OrdinalIgnoreCase);
        var fields = ErrorFields(answer.Body);
        Assert.True(fields.Length == 0 || fields.SequenceEqual([field]), $"errors name {string.Join(", ", fields)}, expected {field}");
        Assert.Empty(await _server.Monitor.GetActiveAsync());
    }

    [Fact]
    public async Task A_bad_progress_report_names_every_bad_field_and_applies_none_of_the_good_ones()
    {
        var id = await StartAsync(_client, """{"name":"strict","total_items":10}""");

        var answer = await PostAsync(_client, $"api/v1/runs/{id}/progress",
            """{"items_succeeded":5,"items_failed":-1,"total_items":-3,"percent":101,"custom":"text","updated_by":"ok"}""");

        AssertProblem(HttpStatusCode.BadRequest, answer, "invalid-request");
        Assert.Equal(["custom", "items_failed", "percent", "total_items"], ErrorFields(answer.Body));
        var job = (await _server.Monitor.GetJobAsync(id))!.View.Job;
        Assert.Equal(0, job.ItemsSucceeded);
        Assert.Equal(10, job.TotalItems);
        Assert.Null(job.UpdatedBy);
    }

    [Theory]
    [InlineData("""{"percent":-0.1}""", "percent")]
    [InlineData("""{"items_succeeded":-5}""", "items_succeeded")]
    [InlineData("""{"custom":[1]}""", "custom")]
    [InlineData("""{"updated_by":""}""", "updated_by")]
    public async Task Each_progress_field_is_checked(string body, string field)
    {
        var id = await StartAsync(_client, """{"name":"strict_each"}""");
        var answer = await PostAsync(_client, $"api/v1/runs/{id}/progress", body);
        AssertProblem(HttpStatusCode.BadRequest, answer);
        Assert.Equal([field], ErrorFields(answer.Body));
    }

    [Theory]
    [InlineData("complete", """{"status_code":500}""", "use /fail for errors")]
    [InlineData("complete", """{"status_code":299}""", "not a registered status code")]
    [InlineData("fail", """{"error":"x","status_code":200}""", "use /complete for successes")]
    [InlineData("fail", """{"error":"x","status_code":599}""", "not a registered status code")]
    public async Task A_status_code_of_the_wrong_class_or_unregistered_is_a_400_listing_the_allowed_codes(string action, string body, string says)
    {
        var id = await StartAsync(_client, """{"name":"coded"}""");

        var answer = await PostAsync(_client, $"api/v1/runs/{id}/{action}", body);

        var detail = AssertProblem(HttpStatusCode.BadRequest, answer);
        Assert.Contains(says, detail);
        Assert.Equal(["status_code"], ErrorFields(answer.Body));
        var allowed = detail[detail.IndexOf("allowed here:", StringComparison.Ordinal)..];
        if (action == "complete")
        {
            Assert.Contains("200 SUCCESS", allowed);
            Assert.DoesNotContain("500 INTERNAL_ERROR", allowed);
        }
        else
        {
            Assert.Contains("470 INVALID_PAYLOAD", allowed);
            Assert.Contains("429 RATE_LIMITED", allowed);
            Assert.DoesNotContain("200 SUCCESS", allowed);
        }
        Assert.Equal(Jobwatch.Model.JobState.Active, (await _server.Monitor.GetJobAsync(id))!.View.Job.State);
    }

    [Fact]
    public async Task Fail_needs_an_error_and_an_application_code_is_allowed()
    {
        var id = await StartAsync(_client, """{"name":"needs_error"}""");

        var missing = await PostAsync(_client, $"api/v1/runs/{id}/fail", """{"error":" "}""");
        Assert.Equal(["error"], ErrorFields(missing.Body));
        var failed = await PostAsync(_client, $"api/v1/runs/{id}/fail", """{"error":"bad payload","status_code":470}""");

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal("INVALID_PAYLOAD", failed.Body.GetProperty("status_label").GetString());
    }

    [Fact]
    public async Task A_bad_progress_inside_complete_is_named_with_its_path_and_the_run_stays_active()
    {
        var id = await StartAsync(_client, """{"name":"late_report"}""");

        var answer = await PostAsync(_client, $"api/v1/runs/{id}/complete", """{"progress":{"percent":150}}""");

        AssertProblem(HttpStatusCode.BadRequest, answer);
        Assert.Equal(["progress.percent"], ErrorFields(answer.Body));
        Assert.Equal(Jobwatch.Model.JobState.Active, (await _server.Monitor.GetJobAsync(id))!.View.Job.State);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-4")]
    public async Task A_malformed_id_is_a_400_naming_id(string id)
    {
        var answer = await PostAsync(_client, $"api/v1/runs/{id}/heartbeat", null);
        AssertProblem(HttpStatusCode.BadRequest, answer, "invalid-parameter");
        Assert.Equal(["id"], ErrorFields(answer.Body));
    }

    [Fact]
    public async Task Runs_need_the_reporter_operator_or_admin_role()
    {
        using var viewer = _server.Client(JobwatchRole.Viewer);
        using var anonymous = _server.Client(role: null);
        using var admin = _server.Client(JobwatchRole.Admin);

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(viewer, "api/v1/runs", """{"name":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(anonymous, "api/v1/runs", """{"name":"x"}""")).Status);
        var id = await StartAsync(admin, """{"name":"by_admin"}""");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(viewer, $"api/v1/runs/{id}/complete", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"api/v1/runs/{id}")).StatusCode);
        Assert.Equal(Jobwatch.Model.JobState.Active, (await _server.Monitor.GetJobAsync(id))!.View.Job.State);
    }
}
