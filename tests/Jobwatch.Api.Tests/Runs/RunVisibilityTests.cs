using System.Net;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using static Jobwatch.Api.Tests.Runs.RunHttp;

namespace Jobwatch.Api.Tests.Runs;

/// <summary>A run reported over HTTP is read back through the read endpoints exactly like a queued job.</summary>
public sealed class RunVisibilityTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_run_is_in_the_seed_active_list_with_live_progress_then_in_history_and_job_detail_with_its_timeline()
    {
        using var reporter = _server.Client(JobwatchRole.Reporter);
        using var viewer = _server.Client(JobwatchRole.Viewer);
        var id = await StartAsync(reporter, """{"name":"high_priority_tick_sync","type":"tick_sync","total_items":2847,"metadata":{"priority":"high"}}""");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(reporter, $"api/v1/runs/{id}/progress", """{"items_succeeded":1520,"items_failed":3}""")).Status);

        using (var active = JsonDocument.Parse(await viewer.GetStringAsync("api/monitoring/jobs/active")))
        {
            var job = active.RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("id").GetInt64() == id);
            Assert.Equal("high_priority_tick_sync", job.GetProperty("job_name").GetString());
            Assert.Equal("tick_sync", job.GetProperty("job_type").GetString());
            Assert.Equal("running", job.GetProperty("status").GetString());
            Assert.Equal(1523, job.GetProperty("items_processed").GetInt64());
            Assert.Equal(1520, job.GetProperty("items_succeeded").GetInt64());
            Assert.Equal(53.5, job.GetProperty("progress_percent").GetDouble());
            Assert.Equal("high", job.GetProperty("metadata").GetProperty("priority").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(reporter, $"api/v1/runs/{id}/fail", """{"error":"Mountain Project API rate limit","status_code":429}""")).Status);

        using (var history = JsonDocument.Parse(await viewer.GetStringAsync("api/monitoring/jobs/history?job_name=high_priority_tick_sync")))
        {
            var job = Assert.Single(history.RootElement.GetProperty("jobs").EnumerateArray());
            Assert.Equal("failed", job.GetProperty("status").GetString());
            Assert.Equal(429, job.GetProperty("status_code").GetInt32());
        }
        using var active2 = JsonDocument.Parse(await viewer.GetStringAsync("api/monitoring/jobs/active"));
        Assert.DoesNotContain(active2.RootElement.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetInt64() == id);

        using var detail = JsonDocument.Parse(await viewer.GetStringAsync($"api/v1/jobs/{id}"));
        var dto = detail.RootElement.GetProperty("job");
        Assert.True(dto.GetProperty("external").GetBoolean());
        Assert.Equal("failed", dto.GetProperty("state").GetString());
        Assert.Equal("Mountain Project API rate limit", dto.GetProperty("last_error").GetString());
        Assert.Equal(1523, dto.GetProperty("items_processed").GetInt64());
        Assert.Equal(["created", "started", "dead_lettered"],
            detail.RootElement.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()!).ToArray());
    }
}
