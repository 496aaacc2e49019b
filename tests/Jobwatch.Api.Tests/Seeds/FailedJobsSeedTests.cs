using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Seeds;

/// <summary>Seed 003's dead-letter endpoints, <c>/api/v1/jobs/failed/stats</c> and <c>/recent</c>, against real failures.</summary>
public sealed class FailedJobsSeedTests : IAsyncLifetime
{
    private const string StatsShape = "timestamp:tsms, totalFailedJobs:int, recentFailures:int, recentWindowSeconds:int, failuresByQueue:object, " +
        "failuresByJobName:object, failuresByStatusCode:array, oldestFailureAt:tsms?, newestFailureAt:tsms?, monitoredQueues:array";
    private const string CodeShape = "statusCode:int, statusLabel:string, count:int";
    private const string JobShape = "jobId:int, queueName:string, jobName:string, jobType:string, statusCode:int?, statusLabel:string?, " +
        "error:string?, stackTrace:string?, attemptsMade:int, maxAttempts:int, createdAt:tsms, failedAt:tsms?, createdBy:string?, " +
        "updatedBy:string?, data:object, metadata:object?";

    private ApiTestServer _server = null!;
    private readonly List<long> _failed = [];

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        // Enqueued and awaited one by one, so the order they failed in is known.
        foreach (var (code, queue) in new[] { (470, (string?)null), (500, null), (470, "default") })
        {
            var id = await _server.Jobs.EnqueueAsync(new FailArgs(code, $"failure {code}"),
                new() { Queue = queue, CreatedBy = "OSINT-GUILD-ROSTER", Metadata = queue is null ? null : new { region = "eu" } });
            await _server.WaitForJobAsync(id, j => j.State == JobState.Failed, "failed");
            _failed.Add(id);
        }
        await _server.WaitForJobAsync(await _server.Jobs.EnqueueAsync(new EchoArgs()), j => j.State == JobState.Completed, "completed");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Stats_count_failures_by_queue_name_and_labelled_status_code()
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        var stats = await client.GetJsonAsync("api/v1/jobs/failed/stats");
        JsonShape.Assert(stats, StatsShape, "stats");
        Assert.Equal(3, stats.GetProperty("totalFailedJobs").GetInt64());
        Assert.Equal(3, stats.GetProperty("recentFailures").GetInt64());
        Assert.Equal(3600, stats.GetProperty("recentWindowSeconds").GetInt64());
        Assert.Equal("""{"critical":2,"default":1}""", stats.GetProperty("failuresByQueue").GetRawText());
        Assert.Equal("""{"always_fails":3}""", stats.GetProperty("failuresByJobName").GetRawText());
        var codes = stats.GetProperty("failuresByStatusCode").EnumerateArray().ToArray();
        foreach (var c in codes)
        {
            JsonShape.Assert(c, CodeShape, "stats.failuresByStatusCode[]");
        }
        Assert.Equal([(470, "INVALID_PAYLOAD", 2L), (500, "INTERNAL_ERROR", 1L)],
            codes.Select(c => (c.GetProperty("statusCode").GetInt32(), c.GetProperty("statusLabel").GetString(), c.GetProperty("count").GetInt64())));
        Assert.True(stats.GetProperty("oldestFailureAt").GetDateTimeOffset() <= stats.GetProperty("newestFailureAt").GetDateTimeOffset());
        Assert.Equal(["critical", "default"], stats.GetProperty("monitoredQueues").EnumerateArray().Select(q => q.GetString()));
    }

    [Fact]
    public async Task Recent_lists_failure_records_newest_first_with_their_data_and_error()
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        var root = await client.GetJsonAsync("api/v1/jobs/failed/recent");
        JsonShape.Assert(root, "jobs:array, count:int", "recent");
        var jobs = root.GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(3, root.GetProperty("count").GetInt32());
        foreach (var j in jobs)
        {
            JsonShape.Assert(j, JobShape, "recent.jobs[]");
        }
        Assert.Equal(Enumerable.Reverse(_failed), jobs.Select(j => j.GetProperty("jobId").GetInt64()));

        var newest = jobs[0];
        Assert.Equal(("default", "always_fails", 470, "INVALID_PAYLOAD", "failure 470"),
            (newest.GetProperty("queueName").GetString(), newest.GetProperty("jobName").GetString(), newest.GetProperty("statusCode").GetInt32(),
             newest.GetProperty("statusLabel").GetString(), newest.GetProperty("error").GetString()));
        Assert.Equal((1, 1), (newest.GetProperty("attemptsMade").GetInt32(), newest.GetProperty("maxAttempts").GetInt32()));
        Assert.Equal(470, newest.GetProperty("data").GetProperty("code").GetInt32());
        Assert.Equal("eu", newest.GetProperty("metadata").GetProperty("region").GetString());
        Assert.Equal("OSINT-GUILD-ROSTER", newest.GetProperty("createdBy").GetString());

        // The unhandled exception (500) keeps its stack trace for investigation.
        var crashed = jobs[1];
        Assert.Equal(500, crashed.GetProperty("statusCode").GetInt32());
        Assert.Contains("FailHandler", crashed.GetProperty("stackTrace").GetString());
        Assert.Equal(JsonValueKind.Null, crashed.GetProperty("metadata").ValueKind);

        var two = await client.GetJsonAsync("api/v1/jobs/failed/recent?limit=2");
        Assert.Equal(2, two.GetProperty("count").GetInt32());
        Assert.Equal(_failed[2], two.GetProperty("jobs")[0].GetProperty("jobId").GetInt64());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("twenty")]
    public async Task Recent_rejects_a_limit_outside_1_to_100(string limit)
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        await client.AssertInvalidParameterAsync($"api/v1/jobs/failed/recent?limit={limit}", "limit");
    }

    [Fact]
    public async Task The_client_returns_what_the_endpoints_return()
    {
        using var client = new JobwatchClient(_server.BaseAddress, ApiTestServer.Secret(JobwatchRole.Viewer));
        var stats = await client.GetFailedJobStatsAsync();
        Assert.Equal(3, stats.TotalFailedJobs);
        Assert.Equal(2, stats.FailuresByQueue["critical"]);
        Assert.Equal("INVALID_PAYLOAD", stats.FailuresByStatusCode[0].StatusLabel);
        Assert.Equal(["critical", "default"], stats.MonitoredQueues);

        var recent = await client.GetRecentFailedJobsAsync(limit: 3);
        Assert.Equal(Enumerable.Reverse(_failed), recent.Select(j => j.JobId));
        Assert.Equal(470, recent[0].Data.GetProperty("code").GetInt32());
        Assert.NotNull(recent[0].FailedAt);
        Assert.Single(await client.GetRecentFailedJobsAsync(limit: 1));

        var error = await Assert.ThrowsAsync<JobwatchApiException>(() => client.GetRecentFailedJobsAsync(limit: 0));
        Assert.True(error.Errors.ContainsKey("limit"));
    }
}
