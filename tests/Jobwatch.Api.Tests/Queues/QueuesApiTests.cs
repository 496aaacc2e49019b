using System.Net;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Api.Tests.Jobs;
using Jobwatch.Audit;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Queues;

/// <summary>/api/v1/queues: stats per queue, one queue, pause and resume.</summary>
public sealed class QueuesApiTests : IAsyncLifetime
{
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

    private static JsonElement Queue(JsonElement list, string name) =>
        list.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == name);

    [Fact]
    public async Task The_list_counts_jobs_per_state_and_shows_the_workers()
    {
        var failed = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(470));
        var done = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        var running = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs());
        await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs(), new EnqueueOptions { Delay = TimeSpan.FromHours(1) });
        await _server.WaitForJobAsync(failed, j => j.State == JobState.Failed, "failed");
        await _server.WaitForJobAsync(done, j => j.State == JobState.Completed, "completed");
        await _server.WaitForJobAsync(running, j => j.State == JobState.Active, "active");

        using var viewer = _server.Client(JobwatchRole.Viewer);
        var list = await viewer.GetJsonAsync("api/v1/queues");
        var names = list.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        var critical = Queue(list, "critical");
        Assert.Equal(1, critical.GetProperty("counts").GetProperty("failed").GetInt64());
        Assert.False(critical.GetProperty("paused").GetBoolean());
        var @default = Queue(list, "default");
        var counts = @default.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("completed").GetInt64());
        Assert.Equal(1, counts.GetProperty("active").GetInt64());
        Assert.Equal(1, counts.GetProperty("delayed").GetInt64());
        Assert.Equal(0, counts.GetProperty("waiting").GetInt64());
        Assert.Equal(0, counts.GetProperty("cancelled").GetInt64());
        Assert.True(@default.GetProperty("concurrency").GetInt32() >= 1);
        Assert.Equal(1, @default.GetProperty("busy").GetInt32());
        Assert.Equal(JsonValueKind.Null, @default.GetProperty("oldest_waiting_since").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, @default.GetProperty("last_finished_at").ValueKind);
    }

    [Fact]
    public async Task Pausing_holds_new_jobs_waiting_and_resuming_runs_them()
    {
        var paused = await (await _client.PostAsync("api/v1/queues/critical/pause", null)).ReadJsonAsync();
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal("critical", paused.GetProperty("name").GetString());

        var id = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(470));
        await JobsTestKit.EventuallyAsync(async () =>
        {
            var q = await _client.GetJsonAsync("api/v1/queues/critical");
            return q.GetProperty("counts").GetProperty("waiting").GetInt64() == 1 && q.GetProperty("oldest_waiting_seconds").GetDouble() >= 0;
        }, "the paused queue shows one waiting job with its age");
        Assert.Equal(JobState.Waiting, (await _server.Monitor.GetJobAsync(id))!.View.Job.State);

        var resumed = await (await _client.PostAsync("api/v1/queues/critical/resume", null)).ReadJsonAsync();
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        await _server.WaitForJobAsync(id, j => j.State == JobState.Failed, "run once the queue is resumed");

        var audit = (await _server.AuditAsync(AuditActions.QueuePause)).Concat(await _server.AuditAsync(AuditActions.QueueResume)).ToArray();
        Assert.Equal(2, audit.Length);
        Assert.All(audit, e => Assert.Equal(("test-operator (operator)", AuditTargets.Queue("critical")), (e.Actor, e.Target)));
    }

    [Fact]
    public async Task A_queue_with_no_jobs_yet_can_be_paused_and_then_exists()
    {
        await JobsTestKit.AssertProblemAsync(await _client.GetAsync("api/v1/queues/reports.nightly"), HttpStatusCode.NotFound, detailContains: "reports.nightly");
        var paused = await (await _client.PostAsync("api/v1/queues/reports.nightly/pause", null)).ReadJsonAsync();
        Assert.True(paused.GetProperty("paused").GetBoolean());
        var queue = await _client.GetJsonAsync("api/v1/queues/reports.nightly");
        Assert.True(queue.GetProperty("paused").GetBoolean());
        Assert.Equal(0, queue.GetProperty("counts").GetProperty("waiting").GetInt64());
    }

    [Fact]
    public async Task An_unknown_queue_is_404_listing_the_known_ones()
    {
        await JobsTestKit.AssertProblemAsync(await _client.GetAsync("api/v1/queues/nope"), HttpStatusCode.NotFound, detailContains: "known queues: critical, default");
    }

    [Theory]
    [InlineData("bad%20name")]
    [InlineData("emails%21")]
    [InlineData("a%2Fb")]
    public async Task An_invalid_queue_name_is_400_and_pauses_nothing(string name)
    {
        foreach (var action in new[] { "pause", "resume" })
        {
            await JobsTestKit.AssertProblemAsync(await _client.PostAsync($"api/v1/queues/{name}/{action}", null), HttpStatusCode.BadRequest, "name", "is not valid");
        }
        var names = (await _client.GetJsonAsync("api/v1/queues")).GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString());
        Assert.Equal(["critical", "default"], names);
        Assert.Empty(await _server.AuditAsync(AuditActions.QueuePause));
    }

    [Fact]
    public async Task A_name_longer_than_the_core_allows_is_400()
    {
        var name = new string('q', 201);
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync($"api/v1/queues/{name}/pause", null), HttpStatusCode.BadRequest, "name", "1–200");
    }

    [Fact]
    public async Task Pause_and_resume_need_an_operating_role()
    {
        using var viewer = _server.Client(JobwatchRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("api/v1/queues/critical/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("api/v1/queues/critical/resume", null)).StatusCode);
        using var anonymous = _server.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/queues")).StatusCode);
        Assert.False((await _client.GetJsonAsync("api/v1/queues/critical")).GetProperty("paused").GetBoolean());
    }
}
