using System.Net;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Audit;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>POST /api/v1/jobs and /batch: what a valid request writes, and the audit entry it leaves.</summary>
public sealed class JobEnqueueTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync(o => o.RunWorkers = false);
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Enqueue_returns_201_with_location_and_stores_every_field()
    {
        using var client = _server.Client(JobwatchRole.Operator);
        var response = await client.PostJsonAsync("api/v1/jobs", """
            {"name":"echo","args":{"text":"hi"},"queue":"mail","delay_seconds":3600,"priority":7,"max_attempts":5,
             "timeout_seconds":2.5,"metadata":{"tenant":"acme"},"created_by":"OSINT-GUILD-ROSTER"}
            """);
        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal("echo", body.GetProperty("name").GetString());
        Assert.Equal("mail", body.GetProperty("queue").GetString());
        Assert.Equal($"/api/v1/jobs/{id}", body.GetProperty("url").GetString());
        Assert.Equal($"/api/v1/jobs/{id}", response.Headers.Location?.OriginalString);

        var job = (await _server.Monitor.GetJobAsync(id))!.View.Job;
        Assert.Equal(JobState.Delayed, job.State);
        Assert.Equal("mail", job.Queue);
        Assert.Equal(7, job.Priority);
        Assert.Equal(5, job.MaxAttempts);
        Assert.Equal(2500, job.TimeoutMs);
        Assert.Equal("OSINT-GUILD-ROSTER", job.CreatedBy);
        Assert.InRange(job.RunAt - job.CreatedAt, TimeSpan.FromSeconds(3599), TimeSpan.FromSeconds(3601));
        Assert.Equal("hi", JsonDocument.Parse(job.Payload).RootElement.GetProperty("text").GetString());
        Assert.Equal("acme", JsonDocument.Parse(job.Metadata!).RootElement.GetProperty("tenant").GetString());

        // The Location answers with the job just created.
        var detail = await client.GetJsonAsync(response.Headers.Location!.OriginalString.TrimStart('/'));
        Assert.Equal(id, detail.GetProperty("job").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Defaults_come_from_the_handler_and_created_by_from_the_token()
    {
        using var client = _server.Client(JobwatchRole.Operator);
        var body = await (await client.PostJsonAsync("api/v1/jobs", """{"name":"always_fails"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var job = (await _server.Monitor.GetJobAsync(body.GetProperty("id").GetInt64()))!.View.Job;
        Assert.Equal("critical", job.Queue);
        Assert.Equal("critical", body.GetProperty("queue").GetString());
        Assert.Equal(1, job.MaxAttempts);
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal("{}", job.Payload);
        Assert.Null(job.Metadata);
        Assert.Equal("test-operator (operator)", job.CreatedBy);
    }

    [Fact]
    public async Task Run_at_schedules_the_job_for_that_time()
    {
        using var client = _server.Client(JobwatchRole.Admin);
        var at = DateTimeOffset.UtcNow.AddDays(2);
        var body = await (await client.PostJsonAsync("api/v1/jobs", $$"""{"name":"echo","run_at":"{{at:O}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var job = (await _server.Monitor.GetJobAsync(body.GetProperty("id").GetInt64()))!.View.Job;
        Assert.Equal(JobState.Delayed, job.State);
        Assert.InRange(job.RunAt, at.AddMilliseconds(-1), at.AddMilliseconds(1));
    }

    [Fact]
    public async Task Each_api_enqueue_is_audited_with_the_caller()
    {
        using var client = _server.Client(JobwatchRole.Operator);
        var id = (await (await client.PostJsonAsync("api/v1/jobs", """{"name":"echo"}""")).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var entry = Assert.Single(await _server.AuditAsync(AuditActions.JobEnqueue));
        Assert.Equal("test-operator (operator)", entry.Actor);
        Assert.Equal(AuditTargets.Job(id), entry.Target);
        Assert.Equal(AuditOutcomes.Ok, entry.Outcome);
        using var details = JsonDocument.Parse(entry.Details!);
        Assert.Equal("echo", details.RootElement.GetProperty("name").GetString());
        Assert.Equal("default", details.RootElement.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task A_batch_is_enqueued_in_order_and_audited_once_with_every_id()
    {
        using var client = _server.Client(JobwatchRole.Operator);
        var response = await client.PostJsonAsync("api/v1/jobs/batch", """
            {"jobs":[{"name":"echo","args":{"text":"1"}},{"name":"always_fails","args":{"code":470}},{"name":"echo","queue":"other","priority":3}]}
            """);
        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        var jobs = body.GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(["echo", "always_fails", "echo"], jobs.Select(j => j.GetProperty("name").GetString()));
        Assert.Equal(["default", "critical", "other"], jobs.Select(j => j.GetProperty("queue").GetString()));
        var ids = jobs.Select(j => j.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(ids.Order(), ids);
        Assert.All(jobs, j => Assert.Equal($"/api/v1/jobs/{j.GetProperty("id").GetInt64()}", j.GetProperty("url").GetString()));
        Assert.Equal(3, await _server.CountJobsAsync());
        Assert.Equal(470, JsonDocument.Parse((await _server.Monitor.GetJobAsync(ids[1]))!.View.Job.Payload).RootElement.GetProperty("code").GetInt32());

        var entry = Assert.Single(await _server.AuditAsync(AuditActions.JobEnqueue));
        Assert.Equal("test-operator (operator)", entry.Actor);
        using var details = JsonDocument.Parse(entry.Details!);
        Assert.Equal(ids, details.RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Equal(3, details.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_full_batch_of_the_maximum_size_is_accepted()
    {
        using var client = _server.Client(JobwatchRole.Operator);
        var jobs = string.Join(",", Enumerable.Repeat("""{"name":"echo"}""", 1000));
        var body = await (await client.PostJsonAsync("api/v1/jobs/batch", $$"""{"jobs":[{{jobs}}]}""")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1000, body.GetProperty("count").GetInt32());
        Assert.Equal(1000, (await _server.Monitor.SearchAsync(new Storage.JobListParams { Limit = 1000 })).Jobs.Count);
    }

    [Fact]
    public async Task Enqueueing_needs_an_operating_role_and_writes_nothing_otherwise()
    {
        foreach (var role in new JobwatchRole?[] { null, JobwatchRole.Viewer, JobwatchRole.Reporter })
        {
            using var client = _server.Client(role);
            var response = await client.PostJsonAsync("api/v1/jobs", """{"name":"echo"}""");
            Assert.Equal(role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, response.StatusCode);
            var batch = await client.PostJsonAsync("api/v1/jobs/batch", """{"jobs":[{"name":"echo"}]}""");
            Assert.Equal(role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, batch.StatusCode);
        }
        Assert.Equal(0, await _server.CountJobsAsync());
        Assert.Empty(await _server.AuditAsync(AuditActions.JobEnqueue));
    }
}
