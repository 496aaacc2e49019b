using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Seeds;

/// <summary>Seed 001's <c>/api/monitoring/jobs/…</c> against real jobs: every field name, JSON type and value.</summary>
public sealed class MonitoringSeedTests : IAsyncLifetime
{
    /// <summary>Seed 001's job object, then Jobwatch's additions.</summary>
    public const string JobShape =
        "id:int, job_name:string, job_type:string, status:string, total_items:int?, items_processed:int, items_succeeded:int, " +
        "items_failed:int, progress_percent:number?, started_at:ts?, elapsed_seconds:int?, estimated_remaining_seconds:int?, " +
        "items_per_second:number?, metadata:object, queue:string, status_code:int?, status_label:string?, created_by:string?, " +
        "updated_by:string?, completed_at:ts?, error_message:string?";

    /// <summary>A running job that counts items has every seed figure.</summary>
    private const string RunningShape =
        "id:int, job_name:string, job_type:string, status:string, total_items:int, items_processed:int, items_succeeded:int, " +
        "items_failed:int, progress_percent:number, started_at:ts, elapsed_seconds:int, estimated_remaining_seconds:int, " +
        "items_per_second:number, metadata:object, queue:string, status_code:int?, status_label:string?, created_by:string, " +
        "updated_by:string?, completed_at:ts?, error_message:string?";

    private ApiTestServer _server = null!;
    private long _counting, _echo, _failed;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _counting = await _server.Jobs.EnqueueAsync(new CountArgs(Total: 10, Failed: 1),
            new() { Metadata = new { priority = "high" }, CreatedBy = "OSINT-GUILD-ROSTER" });
        _echo = await _server.Jobs.EnqueueAsync(new EchoArgs("hi"));
        _failed = await _server.Jobs.EnqueueAsync(new FailArgs(451, "roster fetch failed"));
        await _server.WaitForJobAsync(_counting, j => j.State == JobState.Active && j.ItemsProcessed == 5, "running with 5 items counted");
        await _server.WaitForJobAsync(_echo, j => j.State == JobState.Completed, "completed");
        await _server.WaitForJobAsync(_failed, j => j.State == JobState.Failed, "failed");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Viewer() => _server.Client(JobwatchRole.Viewer);

    [Fact]
    public async Task Active_lists_the_running_job_with_seed_001s_fields_and_live_progress()
    {
        using var client = Viewer();
        var root = await client.GetJsonAsync("api/monitoring/jobs/active");
        JsonShape.Assert(root, "jobs:array", "active");
        var job = Assert.Single(root.GetProperty("jobs").EnumerateArray());
        JsonShape.Assert(job, RunningShape, "active.jobs[0]");

        Assert.Equal(_counting, job.GetProperty("id").GetInt64());
        Assert.Equal("counting_sync", job.GetProperty("job_name").GetString());
        Assert.Equal("sync", job.GetProperty("job_type").GetString());
        Assert.Equal("running", job.GetProperty("status").GetString());
        Assert.Equal(10, job.GetProperty("total_items").GetInt64());
        Assert.Equal(5, job.GetProperty("items_processed").GetInt64());
        Assert.Equal(4, job.GetProperty("items_succeeded").GetInt64());
        Assert.Equal(1, job.GetProperty("items_failed").GetInt64());
        Assert.Equal(50.0, job.GetProperty("progress_percent").GetDouble());
        Assert.True(job.GetProperty("items_per_second").GetDouble() > 0);
        Assert.True(job.GetProperty("elapsed_seconds").GetInt64() >= 0);
        Assert.Equal("high", job.GetProperty("metadata").GetProperty("priority").GetString());
        Assert.Equal("OSINT-GUILD-ROSTER", job.GetProperty("created_by").GetString());
        Assert.Equal("default", job.GetProperty("queue").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("completed_at").ValueKind);
    }

    [Fact]
    public async Task History_lists_started_jobs_newest_first_with_the_seeds_status_names()
    {
        using var client = Viewer();
        var root = await client.GetJsonAsync("api/monitoring/jobs/history");
        var jobs = root.GetProperty("jobs").EnumerateArray().ToArray();
        for (var i = 0; i < jobs.Length; i++)
        {
            JsonShape.Assert(jobs[i], JobShape, $"history.jobs[{i}]");
        }
        Assert.Equal([_failed, _echo, _counting], jobs.Select(j => j.GetProperty("id").GetInt64()));
        Assert.Equal(["failed", "completed", "running"], jobs.Select(j => j.GetProperty("status").GetString()));

        var failed = jobs[0];
        Assert.Equal("always_fails", failed.GetProperty("job_name").GetString());
        Assert.Equal(451, failed.GetProperty("status_code").GetInt32());
        Assert.Equal("roster fetch failed", failed.GetProperty("error_message").GetString());
        Assert.Equal("critical", failed.GetProperty("queue").GetString());
        Assert.Equal(JsonValueKind.String, failed.GetProperty("completed_at").ValueKind);

        var echo = jobs[1];
        Assert.Equal(100.0, echo.GetProperty("progress_percent").GetDouble());
        Assert.Equal(200, echo.GetProperty("status_code").GetInt32());
        Assert.Equal("SUCCESS", echo.GetProperty("status_label").GetString());
        Assert.Equal(JsonValueKind.Null, echo.GetProperty("estimated_remaining_seconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, echo.GetProperty("error_message").ValueKind);
        // No metadata was given: an empty object, so .metadata.priority reads as null instead of failing.
        Assert.Equal("{}", echo.GetProperty("metadata").GetRawText());
    }

    [Fact]
    public async Task History_filters_by_job_name_and_honours_limit()
    {
        await _server.WaitForJobAsync(await _server.Jobs.EnqueueAsync(new EchoArgs()), j => j.State == JobState.Completed, "completed");
        using var client = Viewer();

        var echoes = (await client.GetJsonAsync("api/monitoring/jobs/history?job_name=echo")).GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(2, echoes.Length);
        Assert.All(echoes, j => Assert.Equal("echo", j.GetProperty("job_name").GetString()));

        var limited = (await client.GetJsonAsync("api/monitoring/jobs/history?job_name=echo&limit=1")).GetProperty("jobs");
        Assert.Equal(1, limited.GetArrayLength());
        Assert.Equal(2, (await client.GetJsonAsync("api/monitoring/jobs/history?limit=2")).GetProperty("jobs").GetArrayLength());
        // An empty job_name (the seed's "?job_name=&limit=") means no filter.
        Assert.Equal(4, (await client.GetJsonAsync("api/monitoring/jobs/history?job_name=&limit=100")).GetProperty("jobs").GetArrayLength());
        Assert.Equal(0, (await client.GetJsonAsync("api/monitoring/jobs/history?job_name=nope")).GetProperty("jobs").GetArrayLength());
    }

    [Fact]
    public async Task Summary_has_one_entry_per_job_name_leaving_out_fields_without_a_value()
    {
        using var client = Viewer();
        var root = await client.GetJsonAsync("api/monitoring/jobs/summary");
        JsonShape.Assert(root, "summary:object", "summary");
        var summary = root.GetProperty("summary");
        Assert.Equal(["always_fails", "counting_sync", "echo"], summary.EnumerateObject().Select(p => p.Name));

        var running = summary.GetProperty("counting_sync");
        JsonShape.Assert(running, "last_run:ts, status:string, progress:string, duration_seconds:int", "summary.counting_sync");
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal("5/10 (50.0%)", running.GetProperty("progress").GetString());

        var completed = summary.GetProperty("echo");
        JsonShape.Assert(completed, "last_run:ts, status:string, duration_seconds:int", "summary.echo");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal("failed", summary.GetProperty("always_fails").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_job_by_id_has_the_same_shape_and_values_as_in_the_lists()
    {
        using var client = Viewer();
        var job = await client.GetJsonAsync($"api/monitoring/jobs/{_counting}");
        JsonShape.Assert(job, RunningShape, "job");
        Assert.Equal(50.0, job.GetProperty("progress_percent").GetDouble());

        var failed = await client.GetJsonAsync($"api/monitoring/jobs/{_failed}");
        JsonShape.Assert(failed, JobShape, "failed job");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_client_returns_what_the_endpoints_return()
    {
        using var client = new JobwatchClient(_server.BaseAddress, ApiTestServer.Secret(JobwatchRole.Viewer));

        var active = Assert.Single(await client.GetActiveJobsAsync());
        Assert.Equal((_counting, "running", 10L, 5L, 50.0), (active.Id, active.Status, active.TotalItems!.Value, active.ItemsProcessed, active.ProgressPercent!.Value));
        Assert.Equal("high", active.Metadata.GetProperty("priority").GetString());

        var history = await client.GetJobHistoryAsync(limit: 2);
        Assert.Equal([_failed, _echo], history.Select(j => j.Id));
        Assert.Equal(451, history[0].StatusCode);
        Assert.Equal(history[0].CompletedAt!.Value.ToUnixTimeSeconds(),
            (await _server.Monitor.GetJobAsync(_failed))!.View.Job.FinishedAt!.Value.ToUnixTimeSeconds());
        Assert.Equal([_echo], (await client.GetJobHistoryAsync("echo")).Select(j => j.Id));

        var summary = await client.GetJobSummaryAsync();
        Assert.Equal("5/10 (50.0%)", summary["counting_sync"].Progress);
        Assert.Null(summary["echo"].Progress);
        Assert.NotNull(summary["echo"].DurationSeconds);

        Assert.Equal(active with { ElapsedSeconds = null, ItemsPerSecond = null, EstimatedRemainingSeconds = null, Metadata = default },
            (await client.GetMonitoringJobAsync(_counting))! with { ElapsedSeconds = null, ItemsPerSecond = null, EstimatedRemainingSeconds = null, Metadata = default });
        Assert.Null(await client.GetMonitoringJobAsync(999_999));

        var error = await Assert.ThrowsAsync<JobwatchApiException>(() => client.GetJobHistoryAsync(limit: 101));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.True(error.Errors.ContainsKey("limit"));
    }
}
