using System.Net;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Api.Tests.Seeds;
using Jobwatch.AspNetCore;
using Jobwatch.Monitoring;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobwatch.Api.Tests.HealthChecks;

/// <summary>The ASP.NET Core health checks (<c>AddJobwatchStorage</c>, <c>AddJobwatchQueues</c>) and the probes that run them.</summary>
public sealed class HealthProbeTests
{
    [Fact]
    public async Task Probes_answer_without_a_token_live_runs_no_check_and_ready_checks_the_storage()
    {
        await using var server = await StartAsync();
        using var anonymous = server.Client(role: null);

        var live = await anonymous.GetJsonAsync("health/live");
        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.Empty(live.GetProperty("checks").EnumerateObject());

        var ready = await anonymous.GetJsonAsync("health/ready");
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
        var storage = Assert.Single(ready.GetProperty("checks").EnumerateObject());
        Assert.Equal(JobwatchHealthChecksBuilderExtensions.StorageCheckName, storage.Name);
        Assert.Equal("healthy", storage.Value.GetProperty("status").GetString());
        Assert.Equal("sqlite", storage.Value.GetProperty("data").GetProperty("backend").GetString());
        Assert.Equal(JsonValueKind.Number, storage.Value.GetProperty("data").GetProperty("response_ms").ValueKind);
        Assert.Contains("ready", storage.Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        // The queue check is not a readiness check: a failing queue must not take a node out of its load balancer.
        Assert.False(ready.GetProperty("checks").TryGetProperty(JobwatchHealthChecksBuilderExtensions.QueuesCheckName, out _));
    }

    [Fact]
    public async Task Ready_answers_503_with_the_storage_error_while_live_stays_200()
    {
        await using var server = await StartAsync(storageDown: true);
        using var anonymous = server.Client(role: null);

        Assert.Equal("healthy", (await anonymous.GetJsonAsync("health/live")).GetProperty("status").GetString());

        var ready = await anonymous.GetJsonAsync("health/ready", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", ready.GetProperty("status").GetString());
        var storage = ready.GetProperty("checks").GetProperty(JobwatchHealthChecksBuilderExtensions.StorageCheckName);
        Assert.Equal("unhealthy", storage.GetProperty("status").GetString());
        Assert.Contains(StorageDownMonitor.Error, storage.GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_queue_check_is_degraded_by_a_failed_job_and_unhealthy_without_storage()
    {
        await using (var server = await StartAsync())
        {
            var checks = server.Services.GetRequiredService<HealthCheckService>();
            Assert.Equal(HealthStatus.Healthy, (await QueuesAsync(checks)).Status);

            await QueueHealthSeedTests.FailAsync(server, 1);
            var degraded = await QueuesAsync(checks);
            Assert.Equal(HealthStatus.Degraded, degraded.Status);
            Assert.Contains("'critical' has 1 failed job", degraded.Description);
            Assert.Equal(1, degraded.Data["degraded"]);
        }
        await using (var down = await StartAsync(storageDown: true))
        {
            var entry = await QueuesAsync(down.Services.GetRequiredService<HealthCheckService>());
            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.Contains(StorageDownMonitor.Error, entry.Description);
        }
    }

    private static async Task<HealthReportEntry> QueuesAsync(HealthCheckService checks)
    {
        var report = await checks.CheckHealthAsync(r => r.Name == JobwatchHealthChecksBuilderExtensions.QueuesCheckName);
        return report.Entries[JobwatchHealthChecksBuilderExtensions.QueuesCheckName];
    }

    private static Task<ApiTestServer> StartAsync(bool storageDown = false) => ApiTestServer.StartAsync(o =>
    {
        o.Services = services =>
        {
            services.AddHealthChecks().AddJobwatchStorage().AddJobwatchQueues();
            // An app that locks every endpoint by default: the probes must still answer an orchestrator without credentials.
            services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            if (storageDown)
            {
                // The real monitor, except that its storage probe reports what an unreachable database does.
                var real = services.Last(d => d.ServiceType == typeof(IJobMonitor));
                services.Replace(ServiceDescriptor.Singleton<IJobMonitor>(sp => new StorageDownMonitor((IJobMonitor)real.ImplementationFactory!(sp))));
            }
        };
        o.Map = app => app.MapJobwatchHealthProbes();
    });
}
