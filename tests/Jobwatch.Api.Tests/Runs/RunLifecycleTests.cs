using System.Net;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Model;
using static Jobwatch.Api.Tests.Runs.RunHttp;

namespace Jobwatch.Api.Tests.Runs;

/// <summary>A run reported over HTTP shows up everywhere a queued job does: active with live progress, then history with its timeline.</summary>
public sealed class RunLifecycleTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Start_answers_201_with_the_run_its_location_and_the_callers_token_as_created_by()
    {
        using var client = _server.Client(JobwatchRole.Reporter);
        var answer = await PostAsync(client, "api/v1/runs",
            """{"name":"high_priority_tick_sync","type":"tick_sync","total_items":2847,"metadata":{"priority":"high"},"heartbeat_timeout_seconds":120}""");

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        var run = answer.Body;
        var id = run.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/runs/{id}", answer.Response.Headers.Location?.OriginalString);
        Assert.Equal("high_priority_tick_sync", run.GetProperty("name").GetString());
        Assert.Equal("tick_sync", run.GetProperty("type").GetString());
        Assert.Equal("external", run.GetProperty("queue").GetString());
        Assert.Equal("active", run.GetProperty("state").GetString());
        Assert.True(run.GetProperty("accepting_reports").GetBoolean());
        Assert.Equal(2847, run.GetProperty("total_items").GetInt64());
        Assert.Equal("high", run.GetProperty("metadata").GetProperty("priority").GetString());
        Assert.Equal(120, run.GetProperty("heartbeat_timeout_seconds").GetDouble());
        Assert.Equal($"{ApiTestServer.TokenName(JobwatchRole.Reporter)} (reporter)", run.GetProperty("created_by").GetString());

        var get = await client.GetAsync($"api/v1/runs/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var stored = await _server.WaitForJobAsync(id, j => j.State == JobState.Active, "active");
        Assert.True(stored.IsExternal);
        Assert.Equal("{\"priority\":\"high\"}", stored.Metadata);
    }

    [Fact]
    public async Task A_run_shows_up_active_with_live_progress_then_completed_in_history_with_its_timeline()
    {
        using var client = _server.Client(JobwatchRole.Reporter);
        var id = await StartAsync(client, """{"name":"location_tick_sync","total_items":200,"created_by":"cron"}""");

        var report = await PostAsync(client, $"api/v1/runs/{id}/progress",
            """{"items_succeeded":40,"items_failed":10,"custom":{"batch":3,"total_batches":5},"updated_by":"sync-worker-2"}""");
        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.Equal(50, report.Body.GetProperty("items_processed").GetInt64());
        Assert.Equal(25.0, report.Body.GetProperty("progress_percent").GetDouble());
        Assert.Equal(3, report.Body.GetProperty("custom_progress").GetProperty("batch").GetInt32());

        // Increments add up.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, $"api/v1/runs/{id}/progress", """{"items_succeeded":10}""")).Status);

        var active = Assert.Single(await _server.Monitor.GetActiveAsync(), v => v.Job.Id == id);
        Assert.Equal("location_tick_sync", active.Job.Name);
        Assert.Equal(200, active.Job.TotalItems);
        Assert.Equal(50, active.Job.ItemsSucceeded);
        Assert.Equal(10, active.Job.ItemsFailed);
        Assert.Equal(30.0, active.ProgressPercent);
        Assert.Equal("sync-worker-2", active.Job.UpdatedBy);
        Assert.Equal("cron", active.Job.CreatedBy);

        var done = await PostAsync(client, $"api/v1/runs/{id}/complete", """{"status_code":200,"result":{"imported":50},"progress":{"items_succeeded":140}}""");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("completed", done.Body.GetProperty("state").GetString());
        Assert.Equal("completed", done.Body.GetProperty("ended_as").GetString());
        Assert.False(done.Body.GetProperty("accepting_reports").GetBoolean());
        Assert.Equal("SUCCESS", done.Body.GetProperty("status_label").GetString());
        Assert.Equal(200, done.Body.GetProperty("items_processed").GetInt64() );
        Assert.Equal(50, done.Body.GetProperty("result").GetProperty("imported").GetInt32());

        Assert.DoesNotContain(await _server.Monitor.GetActiveAsync(), v => v.Job.Id == id);
        var history = Assert.Single(await _server.Monitor.GetHistoryAsync("location_tick_sync"));
        Assert.Equal(JobState.Completed, history.Job.State);
        Assert.Equal(190, history.Job.ItemsSucceeded);
        Assert.Equal(100.0, history.ProgressPercent);
        var detail = await _server.Monitor.GetJobAsync(id);
        Assert.Equal(["created", "started", "completed"], detail!.Timeline.Select(t => t.Kind).ToArray());
    }

    [Fact]
    public async Task A_failed_run_ends_failed_in_history_and_the_dead_letter_list_with_its_error_and_stack()
    {
        using var client = _server.Client(JobwatchRole.Reporter);
        var id = await StartAsync(client, """{"name":"report_export","queue":"exports"}""");

        var failed = await PostAsync(client, $"api/v1/runs/{id}/fail",
            """{"error":"the SFTP server refused the upload","status_code":429,"stack":"at Export.Upload()","progress":{"items_failed":1}}""");

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal("failed", failed.Body.GetProperty("state").GetString());
        Assert.Equal(429, failed.Body.GetProperty("status_code").GetInt32());
        Assert.Equal("the SFTP server refused the upload", failed.Body.GetProperty("last_error").GetString());
        var job = (await _server.Monitor.GetJobAsync(id))!;
        Assert.Equal(JobState.Failed, job.View.Job.State);
        Assert.Equal("RATE_LIMITED", job.View.Job.StatusLabel);
        Assert.Equal("at Export.Upload()", job.View.Job.LastErrorStack);
        Assert.Equal(1, job.View.Job.ItemsFailed);
        Assert.Equal("exports", job.View.Job.Queue);
        Assert.Equal(["created", "started", "dead_lettered"], job.Timeline.Select(t => t.Kind).ToArray());
        Assert.Contains(await _server.Monitor.GetDeadLetterRecentAsync(), v => v.Job.Id == id);
        Assert.Equal(JobState.Failed, Assert.Single(await _server.Monitor.GetHistoryAsync("report_export")).Job.State);
    }

    [Fact]
    public async Task Complete_without_a_body_succeeds_with_200_and_fail_defaults_to_500()
    {
        using var client = _server.Client(JobwatchRole.Reporter);
        var a = await StartAsync(client, """{"name":"bare_complete"}""");
        var b = await StartAsync(client, """{"name":"bare_fail"}""");

        var completed = await PostAsync(client, $"api/v1/runs/{a}/complete", null);
        var failed = await PostAsync(client, $"api/v1/runs/{b}/fail", """{"error":"disk full"}""");

        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.Equal(200, completed.Body.GetProperty("status_code").GetInt32());
        Assert.Equal(100.0, completed.Body.GetProperty("progress_percent").GetDouble());
        Assert.Equal(500, failed.Body.GetProperty("status_code").GetInt32());
        Assert.Equal("INTERNAL_ERROR", failed.Body.GetProperty("status_label").GetString());
    }

    [Fact]
    public async Task A_heartbeat_keeps_the_run_accepting_reports_and_operators_may_report_too()
    {
        using var client = _server.Client(JobwatchRole.Operator);
        var id = await StartAsync(client, """{"name":"quiet_import"}""");

        var beat = await PostAsync(client, $"api/v1/runs/{id}/heartbeat", null);

        Assert.Equal(HttpStatusCode.OK, beat.Status);
        Assert.True(beat.Body.GetProperty("accepting_reports").GetBoolean());
        Assert.Equal(JsonValueKind.String, beat.Body.GetProperty("lease_until").ValueKind);
        Assert.Equal(JobState.Active, (await _server.Monitor.GetJobAsync(id))!.View.Job.State);
    }
}
