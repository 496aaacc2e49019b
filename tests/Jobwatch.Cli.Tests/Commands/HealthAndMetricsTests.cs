using Jobwatch.AspNetCore.Auth;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Commands;

/// <summary>
/// <c>health</c> and <c>metrics health</c> grade a fresh server of their own per test (healthy, degraded by a
/// failed job, unhealthy by a paused queue, seed 002's thresholds) and exit 0, 1 or 2 accordingly; <c>metrics summary</c>.
/// </summary>
public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task A_server_whose_jobs_complete_is_healthy_and_health_exits_0()
    {
        await using var server = await LiveServer.StartAsync();
        await server.WaitForStatusAsync(await server.EnqueueAsync(EchoHandler.Name), "completed");

        var result = await JobwatchCli.RunAsync(server, "health");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.StartsWith("Health: HEALTHY", result.Lines[0]);
        Assert.Contains("Storage: sqlite, healthy", result.Out);
        Assert.DoesNotContain("Issues:", result.Out);
        var json = await JobwatchCli.RunAsync(server, "health", "--json");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal("healthy", json.Json().GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failed_job_degrades_health_which_exits_1_and_metrics_health_recommends_what_to_do()
    {
        await using var server = await LiveServer.StartAsync();
        await server.FailJobAsync("payment provider timed out");

        var health = await JobwatchCli.RunAsync(server, "health");
        Assert.True(health.ExitCode == ExitCodes.Degraded, health.ToString());
        Assert.StartsWith("Health: DEGRADED", health.Lines[0]);
        Assert.Contains("  critical: degraded", health.Lines);
        Assert.Contains(health.Lines, l => l.StartsWith("  - ", StringComparison.Ordinal) && l.Contains("critical"));

        var detailed = await JobwatchCli.RunAsync(server, "metrics", "health");
        Assert.True(detailed.ExitCode == ExitCodes.Degraded, detailed.ToString());
        Assert.StartsWith("System health: DEGRADED", detailed.Lines[0]);
        Assert.Contains(detailed.Lines, l => l.StartsWith("Server: Jobwatch ", StringComparison.Ordinal));
        var row = detailed.Lines.Single(l => l.StartsWith("critical ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["critical", "degraded", "0", "0", "1"], row.Take(5));
        Assert.Contains("Recommendations", detailed.Lines);
        Assert.Contains(detailed.Lines, l => l.Contains("jobwatch retry --failed --queue critical"));

        var json = await JobwatchCli.RunAsync(server, "metrics", "health", "--json");
        Assert.Equal(ExitCodes.Degraded, json.ExitCode);
        Assert.Equal("healthy", json.Json().GetProperty("server").GetProperty("status").GetString());
        Assert.Equal("degraded", json.Json().GetProperty("queues").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_paused_queue_makes_health_unhealthy_which_exits_2()
    {
        await using var server = await LiveServer.StartAsync();
        await server.WaitForStatusAsync(await server.EnqueueAsync(EchoHandler.Name), "completed");
        Assert.Equal(0, (await JobwatchCli.RunAsync(server, JobwatchRole.Operator, "pause", "default")).ExitCode);

        var health = await JobwatchCli.RunAsync(server, "health");
        Assert.True(health.ExitCode == ExitCodes.Unhealthy, health.ToString());
        Assert.StartsWith("Health: UNHEALTHY", health.Lines[0]);

        var json = await JobwatchCli.RunAsync(server, "health", "--json");
        Assert.Equal(ExitCodes.Unhealthy, json.ExitCode); // the server answers 503 with the body; the CLI still reads it
        Assert.Equal("unhealthy", json.Json().GetProperty("status").GetString());

        var detailed = await JobwatchCli.RunAsync(server, "metrics", "health");
        Assert.Equal(ExitCodes.Unhealthy, detailed.ExitCode);
        Assert.Contains(detailed.Lines, l => l.Contains("jobwatch resume default"));
    }

    [Fact]
    public async Task Metrics_summary_shows_queue_metrics_error_rates_and_failure_patterns()
    {
        await using var server = await LiveServer.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await server.WaitForStatusAsync(await server.EnqueueAsync(EchoHandler.Name), "completed");
        }
        await server.FailJobAsync("bad gateway");
        await server.FailJobAsync("bad gateway");

        var result = await JobwatchCli.RunAsync(server, "metrics", "summary");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Jobwatch metrics", result.Lines[0]);
        Assert.Equal(["default", "0", "0", "3", "0", "0", "0", "0.0%"], Fields(result, "default "));
        Assert.Equal(["critical", "0", "0", "0", "2", "0", "0", "100.0%"], Fields(result, "critical "));
        Assert.Equal(["TOTAL", "0", "0", "3", "2", "0", "0", "40.0%"], Fields(result, "TOTAL "));
        Assert.Contains(result.Lines, l => l.Contains("2 failed jobs kept, 2 in the last hour"));
        Assert.Equal(["500", "INTERNAL_ERROR", "2"], Fields(result, "  500 INTERNAL_ERROR", 3));
        Assert.Equal(["always_fails", "2"], Fields(result, "  always_fails", 2));

        // Plain "metrics" is the summary (seed 002), and --json keeps each endpoint's document whole.
        Assert.Equal(result.Lines.Skip(1), (await JobwatchCli.RunAsync(server, "metrics")).Lines.Skip(1));
        var json = (await JobwatchCli.RunAsync(server, "metrics", "--json")).Json();
        Assert.Equal(2, json.GetProperty("stats").GetProperty("totals").GetProperty("failed").GetInt64());
        Assert.Equal("degraded", json.GetProperty("health").GetProperty("status").GetString());
        Assert.Equal(2, json.GetProperty("failures").GetProperty("totalFailedJobs").GetInt64());
    }

    /// <summary>The first <paramref name="count"/> fields of the line starting with <paramref name="prefix"/> (8: up to the error rate).</summary>
    private static string[] Fields(CliResult result, string prefix, int count = 8) =>
        (result.Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? throw new Xunit.Sdk.XunitException($"No line starting '{prefix}':\n{result}"))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(count).ToArray();
}
