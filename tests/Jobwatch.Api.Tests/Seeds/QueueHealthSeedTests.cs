using System.Net;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Seeds;

/// <summary>Seed 003's <c>GET /api/v1/health/queues</c>: its layout, and grading with seed 002's thresholds as jobs fail.</summary>
public sealed class QueueHealthSeedTests
{
    public const string Path = "api/v1/health/queues";
    private const string Top = "status:string, timestamp:tsms, storage:object, queues:array, summary:object, issues:array";
    private const string Storage = "backend:string, status:string, connectionStatus:string, responseTime:number, error:string?, issues:array";
    private const string Queue = "queueName:string, status:string, stats:object, details:object, issues:array";
    private const string Stats = "waiting:int, active:int, completed:int, failed:int, delayed:int, paused:int";
    private const string Details = "isRunning:bool, isPaused:bool, processingCapacity:int?, avgProcessingTime:int?, errorRate:number, " +
        "lastJobProcessed:tsms?, staleJobs:int, oldestWaitingSeconds:int?";
    private const string Summary = "totalQueues:int, healthyQueues:int, degradedQueues:int, unhealthyQueues:int, totalJobs:object";
    private const string Totals = "waiting:int, active:int, completed:int, failed:int";

    internal static void AssertShape(JsonElement root)
    {
        JsonShape.Assert(root, Top, "health");
        JsonShape.Assert(root.GetProperty("storage"), Storage, "health.storage");
        JsonShape.Assert(root.GetProperty("summary"), Summary, "health.summary");
        JsonShape.Assert(root.GetProperty("summary").GetProperty("totalJobs"), Totals, "health.summary.totalJobs");
        foreach (var q in root.GetProperty("queues").EnumerateArray())
        {
            var name = q.GetProperty("queueName").GetString();
            JsonShape.Assert(q, Queue, $"health.queues[{name}]");
            JsonShape.Assert(q.GetProperty("stats"), Stats, $"health.queues[{name}].stats");
            JsonShape.Assert(q.GetProperty("details"), Details, $"health.queues[{name}].details");
        }
    }

    internal static JsonElement QueueNamed(JsonElement root, string name) =>
        root.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queueName").GetString() == name);

    internal static async Task FailAsync(ApiTestServer server, int count, string? queue = null)
    {
        for (var i = 0; i < count; i++)
        {
            var id = await server.Jobs.EnqueueAsync(new FailArgs(470, $"bad payload {i}"), new() { Queue = queue });
            await server.WaitForJobAsync(id, j => j.State == JobState.Failed, "failed");
        }
    }

    [Fact]
    public async Task A_fresh_server_is_healthy_and_reports_its_storage_and_served_queues()
    {
        await using var server = await ApiTestServer.StartAsync();
        var echo = await server.Jobs.EnqueueAsync(new EchoArgs());
        await server.WaitForJobAsync(echo, j => j.State == JobState.Completed, "completed");
        using var client = server.Client(JobwatchRole.Viewer);

        var root = await client.GetJsonAsync(Path);
        AssertShape(root);
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.Equal(0, root.GetProperty("issues").GetArrayLength());
        var storage = root.GetProperty("storage");
        Assert.Equal(("sqlite", "healthy", "connected"),
            (storage.GetProperty("backend").GetString(), storage.GetProperty("status").GetString(), storage.GetProperty("connectionStatus").GetString()));
        Assert.False(root.TryGetProperty("redis", out _));

        Assert.Equal(["critical", "default"], root.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("queueName").GetString()));
        var queue = QueueNamed(root, "default");
        Assert.Equal("healthy", queue.GetProperty("status").GetString());
        Assert.Equal(1, queue.GetProperty("stats").GetProperty("completed").GetInt64());
        var details = queue.GetProperty("details");
        Assert.True(details.GetProperty("isRunning").GetBoolean());
        Assert.Equal(8, details.GetProperty("processingCapacity").GetInt32());
        Assert.Equal(JsonValueKind.Number, details.GetProperty("avgProcessingTime").ValueKind);
        Assert.Equal(JsonValueKind.String, details.GetProperty("lastJobProcessed").ValueKind);
        Assert.Equal(0, details.GetProperty("errorRate").GetDouble());

        var summary = root.GetProperty("summary");
        Assert.Equal((2, 2, 0, 0), (summary.GetProperty("totalQueues").GetInt32(), summary.GetProperty("healthyQueues").GetInt32(),
            summary.GetProperty("degradedQueues").GetInt32(), summary.GetProperty("unhealthyQueues").GetInt32()));
        Assert.Equal(1, summary.GetProperty("totalJobs").GetProperty("completed").GetInt64());
    }

    [Fact]
    public async Task Failed_jobs_make_a_queue_degraded_from_1_and_unhealthy_above_5_with_a_503()
    {
        await using var server = await ApiTestServer.StartAsync();
        using var client = server.Client(JobwatchRole.Viewer);

        await FailAsync(server, 1);
        var degraded = await client.GetJsonAsync(Path);
        AssertShape(degraded);
        Assert.Equal("degraded", degraded.GetProperty("status").GetString());
        var critical = QueueNamed(degraded, "critical");
        Assert.Equal("degraded", critical.GetProperty("status").GetString());
        Assert.Equal(1, critical.GetProperty("stats").GetProperty("failed").GetInt64());
        var issue = Assert.Single(critical.GetProperty("issues").EnumerateArray()).GetString();
        Assert.Contains("'critical' has 1 failed job", issue);
        Assert.Equal([issue], degraded.GetProperty("issues").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(1, degraded.GetProperty("summary").GetProperty("degradedQueues").GetInt32());
        Assert.Equal("healthy", QueueNamed(degraded, "default").GetProperty("status").GetString());

        await FailAsync(server, 4);
        Assert.Equal("degraded", (await client.GetJsonAsync(Path)).GetProperty("status").GetString());

        await FailAsync(server, 1);
        var unhealthy = await client.GetJsonAsync(Path, HttpStatusCode.ServiceUnavailable);
        AssertShape(unhealthy);
        Assert.Equal("unhealthy", unhealthy.GetProperty("status").GetString());
        Assert.Equal("unhealthy", QueueNamed(unhealthy, "critical").GetProperty("status").GetString());
        Assert.Equal(1, unhealthy.GetProperty("summary").GetProperty("unhealthyQueues").GetInt32());
        Assert.Equal(6, unhealthy.GetProperty("summary").GetProperty("totalJobs").GetProperty("failed").GetInt64());

        // The client hands back the 503's body instead of throwing: it says what is wrong.
        using var typed = new JobwatchClient(server.BaseAddress, ApiTestServer.Secret(JobwatchRole.Viewer));
        var report = await typed.GetQueueHealthAsync();
        Assert.Equal("unhealthy", report.Status);
        Assert.Equal(6, report.Queues.Single(q => q.QueueName == "critical").Stats.Failed);
        Assert.Equal(unhealthy.GetProperty("issues").EnumerateArray().Select(i => i.GetString()), report.Issues);
    }

    [Fact]
    public async Task A_per_queue_override_from_configuration_applies_to_that_queue_only()
    {
        await using var server = await ApiTestServer.StartAsync(o =>
            o.Configuration["Jobwatch:Health:Queues:critical:FailedUnhealthyAbove"] = "10");
        using var client = server.Client(JobwatchRole.Viewer);

        await FailAsync(server, 6);
        Assert.Equal("degraded", (await client.GetJsonAsync(Path)).GetProperty("status").GetString());

        await FailAsync(server, 6, queue: "default");
        var root = await client.GetJsonAsync(Path, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("degraded", QueueNamed(root, "critical").GetProperty("status").GetString());
        Assert.Equal("unhealthy", QueueNamed(root, "default").GetProperty("status").GetString());
        Assert.Contains("unhealthy above 10", QueueNamed(root, "critical").GetProperty("issues")[0].GetString());
    }

    [Fact]
    public async Task Thresholds_set_in_code_apply_to_every_queue()
    {
        await using var server = await ApiTestServer.StartAsync(o =>
            o.Services = s => s.AddJobwatchQueueHealth(h => h.Default = new() { FailedDegradedAt = 3, FailedUnhealthyAbove = 3 }));
        using var client = server.Client(JobwatchRole.Viewer);

        await FailAsync(server, 2);
        Assert.Equal("healthy", (await client.GetJsonAsync(Path)).GetProperty("status").GetString());
        await FailAsync(server, 2);
        Assert.Equal("unhealthy", (await client.GetJsonAsync(Path, HttpStatusCode.ServiceUnavailable)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_error_rate_degrades_at_5_percent_and_is_unhealthy_above_10()
    {
        // The failed-jobs count is silenced so that only the error rate grades the queue.
        await using var server = await ApiTestServer.StartAsync(o =>
        {
            o.Configuration["Jobwatch:Health:Queues:critical:FailedDegradedAt"] = "1000";
            o.Configuration["Jobwatch:Health:Queues:critical:FailedUnhealthyAbove"] = "1000";
            o.Configuration["Jobwatch:Health:Queues:critical:ErrorRateMinimumFinished"] = "10";
        });
        using var client = server.Client(JobwatchRole.Viewer);
        var echoes = await server.Jobs.EnqueueManyAsync(Enumerable.Range(0, 9)
            .Select(_ => new Jobwatch.Client.JobEnqueueRequest("echo", new EchoArgs(), new() { Queue = "critical" })).ToArray());
        foreach (var id in echoes)
        {
            await server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");
        }

        await FailAsync(server, 1);
        var degraded = QueueNamed(await client.GetJsonAsync(Path), "critical");
        Assert.Equal("degraded", degraded.GetProperty("status").GetString());
        Assert.Equal(0.1, degraded.GetProperty("details").GetProperty("errorRate").GetDouble());
        Assert.Contains("error rate of 10 %", degraded.GetProperty("issues")[0].GetString());

        await FailAsync(server, 1);
        var unhealthy = QueueNamed(await client.GetJsonAsync(Path, HttpStatusCode.ServiceUnavailable), "critical");
        Assert.Equal("unhealthy", unhealthy.GetProperty("status").GetString());
        Assert.Equal(0.1818, unhealthy.GetProperty("details").GetProperty("errorRate").GetDouble());
    }

    [Fact]
    public async Task A_backlog_degrades_from_10_waiting_jobs_and_is_unhealthy_above_50()
    {
        await using var server = await ApiTestServer.StartAsync();
        using var client = server.Client(JobwatchRole.Viewer);
        // No worker serves "nowhere", so its jobs stay waiting.
        Task Enqueue(int n) => server.Jobs.EnqueueManyAsync(Enumerable.Range(0, n)
            .Select(_ => new Jobwatch.Client.JobEnqueueRequest("echo", new EchoArgs(), new() { Queue = "nowhere" })).ToArray());

        await Enqueue(9);
        Assert.Equal("healthy", QueueNamed(await client.GetJsonAsync(Path), "nowhere").GetProperty("status").GetString());
        await Enqueue(1);
        var degraded = await client.GetJsonAsync(Path);
        AssertShape(degraded);
        var nowhere = QueueNamed(degraded, "nowhere");
        Assert.Equal("degraded", nowhere.GetProperty("status").GetString());
        Assert.Equal(10, nowhere.GetProperty("stats").GetProperty("waiting").GetInt64());
        Assert.False(nowhere.GetProperty("details").GetProperty("isRunning").GetBoolean());
        Assert.Equal(JsonValueKind.Null, nowhere.GetProperty("details").GetProperty("processingCapacity").ValueKind);
        Assert.Equal(JsonValueKind.Number, nowhere.GetProperty("details").GetProperty("oldestWaitingSeconds").ValueKind);

        await Enqueue(40);
        Assert.Equal("degraded", QueueNamed(await client.GetJsonAsync(Path), "nowhere").GetProperty("status").GetString());
        await Enqueue(1);
        Assert.Equal("unhealthy", QueueNamed(await client.GetJsonAsync(Path, HttpStatusCode.ServiceUnavailable), "nowhere").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_paused_queue_is_unhealthy_and_counts_its_due_jobs_as_paused()
    {
        await using var server = await ApiTestServer.StartAsync();
        using var client = server.Client(JobwatchRole.Viewer);
        await server.Jobs.PauseQueueAsync("default");
        await server.Jobs.EnqueueAsync(new EchoArgs());

        var root = await client.GetJsonAsync(Path, HttpStatusCode.ServiceUnavailable);
        AssertShape(root);
        var queue = QueueNamed(root, "default");
        Assert.Equal("unhealthy", queue.GetProperty("status").GetString());
        Assert.Equal((0, 1), (queue.GetProperty("stats").GetProperty("waiting").GetInt64(), queue.GetProperty("stats").GetProperty("paused").GetInt64()));
        Assert.True(queue.GetProperty("details").GetProperty("isPaused").GetBoolean());
        Assert.False(queue.GetProperty("details").GetProperty("isRunning").GetBoolean());
        Assert.Contains("paused", queue.GetProperty("issues")[0].GetString());

        await server.Jobs.ResumeQueueAsync("default");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement after;
        do
        {
            using var response = await client.GetAsync(Path);
            after = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        while (after.GetProperty("status").GetString() != "healthy" && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal("healthy", after.GetProperty("status").GetString());
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }
}
