using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Seeds;

/// <summary>Seed 000's <c>GET /api/queue-monitor/stats</c>: "check if jobs are completing".</summary>
public sealed class QueueMonitorSeedTests : IAsyncLifetime
{
    private const string Top = "timestamp:tsms, queues:array, totals:object, failedByStatusCode:array";
    private const string Queue = "queueName:string, isPaused:bool, counts:object, lastJobProcessed:tsms?";
    private const string Counts = "waiting:int, active:int, completed:int, failed:int, delayed:int, cancelled:int";

    private ApiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        foreach (var id in new[] { await _server.Jobs.EnqueueAsync(new EchoArgs()), await _server.Jobs.EnqueueAsync(new EchoArgs()) })
        {
            await _server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");
        }
        await _server.WaitForJobAsync(await _server.Jobs.EnqueueAsync(new FailArgs(470)), j => j.State == JobState.Failed, "failed");
        await _server.Jobs.EnqueueAsync(new EchoArgs(), new() { Delay = TimeSpan.FromHours(1) });
        await _server.Jobs.EnqueueAsync(new EchoArgs(), new() { Queue = "nowhere" });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Stats_show_each_queues_counts_and_failures_by_labelled_code()
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        var root = await client.GetJsonAsync("api/queue-monitor/stats");
        JsonShape.Assert(root, Top, "stats");
        var queues = root.GetProperty("queues").EnumerateArray().ToArray();
        foreach (var q in queues)
        {
            JsonShape.Assert(q, Queue, "stats.queues[]");
            JsonShape.Assert(q.GetProperty("counts"), Counts, "stats.queues[].counts");
        }
        JsonShape.Assert(root.GetProperty("totals"), Counts, "stats.totals");
        Assert.Equal(["critical", "default", "nowhere"], queues.Select(q => q.GetProperty("queueName").GetString()));

        var @default = queues[1].GetProperty("counts");
        Assert.Equal((2L, 1L, 0L), (@default.GetProperty("completed").GetInt64(), @default.GetProperty("delayed").GetInt64(), @default.GetProperty("failed").GetInt64()));
        Assert.Equal(1, queues[0].GetProperty("counts").GetProperty("failed").GetInt64());
        Assert.Equal(1, queues[2].GetProperty("counts").GetProperty("waiting").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, queues[2].GetProperty("lastJobProcessed").ValueKind);

        var totals = root.GetProperty("totals");
        Assert.Equal((1L, 2L, 1L, 1L), (totals.GetProperty("waiting").GetInt64(), totals.GetProperty("completed").GetInt64(),
            totals.GetProperty("failed").GetInt64(), totals.GetProperty("delayed").GetInt64()));

        var code = Assert.Single(root.GetProperty("failedByStatusCode").EnumerateArray());
        JsonShape.Assert(code, "statusCode:int, statusLabel:string, count:int", "stats.failedByStatusCode[]");
        Assert.Equal((470, "INVALID_PAYLOAD", 1L), (code.GetProperty("statusCode").GetInt32(), code.GetProperty("statusLabel").GetString(), code.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task The_client_returns_what_the_endpoint_returns()
    {
        using var client = new JobwatchClient(_server.BaseAddress, ApiTestServer.Secret(JobwatchRole.Viewer));
        var stats = await client.GetQueueMonitorStatsAsync();
        Assert.Equal(["critical", "default", "nowhere"], stats.Queues.Select(q => q.QueueName));
        Assert.Equal(2, stats.Totals.Completed);
        Assert.Equal(470, Assert.Single(stats.FailedByStatusCode).StatusCode);
        Assert.NotNull(stats.Queues[1].LastJobProcessed);
    }
}
