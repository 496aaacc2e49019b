using System.Net;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;

namespace Jobwatch.Api.Tests.Seeds;

/// <summary>Bad input to seed 001's endpoints gets a problem naming the parameter, never an empty 404 or a 500.</summary>
public sealed class MonitoringErrorTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync(o => o.RunWorkers = false);
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("5&limit=6")]
    public async Task History_rejects_a_limit_outside_1_to_100(string limit)
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        await client.AssertInvalidParameterAsync($"api/monitoring/jobs/history?limit={limit}", "limit");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("100")]
    public async Task History_accepts_the_limits_own_bounds(string limit)
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        Assert.Equal(0, (await client.GetJsonAsync($"api/monitoring/jobs/history?limit={limit}")).GetProperty("jobs").GetArrayLength());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("99999999999999999999")]
    [InlineData("1.5")]
    public async Task A_malformed_job_id_is_a_400_naming_id(string id)
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        await client.AssertInvalidParameterAsync($"api/monitoring/jobs/{id}", "id");
    }

    [Fact]
    public async Task An_unknown_job_id_is_a_404_problem_saying_where_ids_come_from()
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        var problem = await client.GetJsonAsync("api/monitoring/jobs/424242", HttpStatusCode.NotFound);
        Assert.Equal("https://jobwatch.dev/problems/not-found", problem.GetProperty("type").GetString());
        Assert.Contains("424242", problem.GetProperty("detail").GetString());
        Assert.Contains("/api/monitoring/jobs/history", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("api/monitoring/jobs/active")]
    [InlineData("api/monitoring/jobs/history")]
    [InlineData("api/monitoring/jobs/summary")]
    [InlineData("api/monitoring/jobs/1")]
    [InlineData("api/monitoring/jobs/abc")]
    [InlineData("api/queue-monitor/stats")]
    [InlineData("api/v1/health/queues")]
    [InlineData("api/v1/jobs/failed/stats")]
    [InlineData("api/v1/jobs/failed/recent")]
    public async Task Every_endpoint_needs_a_reading_role(string path)
    {
        using (var anonymous = _server.Client(null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }
        using (var reporter = _server.Client(JobwatchRole.Reporter))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync(path)).StatusCode);
        }
        using var @operator = _server.Client(JobwatchRole.Operator);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await @operator.GetAsync(path)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, (await @operator.GetAsync(path)).StatusCode);
    }
}
