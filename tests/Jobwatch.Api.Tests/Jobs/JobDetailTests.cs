using System.Net;
using System.Text.Json;
using Jobwatch.AspNetCore.Auth;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>GET /api/v1/jobs/{id}: the job with its timeline; malformed ids are 400 on every id route, unknown ids 404.</summary>
public sealed class JobDetailTests(SeededJobsFixture seed) : IClassFixture<SeededJobsFixture>
{
    [Fact]
    public async Task A_dead_lettered_job_shows_its_error_stack_and_timeline()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var body = await client.GetJsonAsync($"api/v1/jobs/{seed.Failed500}");
        var job = body.GetProperty("job");
        Assert.Equal(seed.Failed500, job.GetProperty("id").GetInt64());
        Assert.Equal("failed", job.GetProperty("state").GetString());
        Assert.Equal("critical", job.GetProperty("queue").GetString());
        Assert.Equal(500, job.GetProperty("status_code").GetInt32());
        Assert.Contains("boom", job.GetProperty("last_error").GetString());
        Assert.Contains("FailHandler", body.GetProperty("last_error_stack").GetString());
        var kinds = body.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal(["created", "started", "dead_lettered"], kinds);
        var last = body.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal("failed", last.GetProperty("state").GetString());
        Assert.Equal(500, last.GetProperty("status_code").GetInt32());
        Assert.Equal(1, last.GetProperty("attempt").GetInt32());
        var times = body.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("at").GetDateTimeOffset()).ToArray();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task A_cancelled_job_names_who_cancelled_it_in_the_timeline()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var body = await client.GetJsonAsync($"api/v1/jobs/{seed.Cancelled}");
        Assert.Equal("cancelled", body.GetProperty("job").GetProperty("state").GetString());
        Assert.Equal(["created", "cancelled"], body.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()!));
    }

    [Fact]
    public async Task An_unknown_id_is_404_problem()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        await JobsTestKit.AssertProblemAsync(await client.GetAsync("api/v1/jobs/987654321"), HttpStatusCode.NotFound, detailContains: "987654321");
    }

    [Theory]
    [InlineData("abc", "is not a job id")]
    [InlineData("-5", "is not a job id")]
    [InlineData("0", "is not a job id")]
    [InlineData("1.5", "is not a job id")]
    [InlineData("99999999999999999999", "is too large")]
    public async Task A_malformed_id_is_400_naming_the_parameter_on_every_id_route(string id, string why)
    {
        using var client = seed.Server.Client(JobwatchRole.Admin);
        var before = await seed.Server.CountJobsAsync();
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{id}"),
            new HttpRequestMessage(HttpMethod.Post, $"api/v1/jobs/{id}/retry"),
            new HttpRequestMessage(HttpMethod.Post, $"api/v1/jobs/{id}/cancel"),
            new HttpRequestMessage(HttpMethod.Delete, $"api/v1/jobs/{id}"),
        })
        {
            var problem = await JobsTestKit.AssertProblemAsync(await client.SendAsync(request), HttpStatusCode.BadRequest, "id", why);
            Assert.Equal("https://jobwatch.dev/problems/invalid-parameter", problem.GetProperty("type").GetString());
        }
        Assert.Equal(before, await seed.Server.CountJobsAsync());
    }

    [Fact]
    public async Task Malformed_ids_are_checked_only_after_the_caller_is_authorized()
    {
        using (var anonymous = seed.Server.Client(null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/jobs/abc")).StatusCode);
        }
        using var viewer = seed.Server.Client(JobwatchRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("api/v1/jobs/abc/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("api/v1/jobs/abc")).StatusCode);
    }

    /// <summary>
    /// The seed-003 routes share the prefix: literal segments must win over the id routes (and over their catch-alls),
    /// and the id routes must still see plain numbers.
    /// </summary>
    [Theory]
    [InlineData("api/v1/jobs/failed/stats")]
    [InlineData("api/v1/jobs/failed/recent")]
    [InlineData("api/v1/jobs/failed/recent?limit=5")]
    public async Task The_failed_jobs_routes_on_the_same_prefix_are_not_taken_for_ids(string path)
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        Assert.False(doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("job", out _));
        Assert.Equal(seed.Failed500, (await client.GetJsonAsync($"api/v1/jobs/{seed.Failed500}")).GetProperty("job").GetProperty("id").GetInt64());
    }
}
