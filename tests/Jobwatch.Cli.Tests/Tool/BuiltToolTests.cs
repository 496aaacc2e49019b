using System.Globalization;
using System.Text.RegularExpressions;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Tool;

/// <summary>
/// The built tool run as a separate process, configured only by environment variables (JOBWATCH_API_URL,
/// JOBWATCH_API_TOKEN), against the real server process running its demo workload.
/// </summary>
public sealed class BuiltToolTests(DemoServer demo) : IClassFixture<DemoServer>
{
    private Dictionary<string, string?> Environment => new()
    {
        ["JOBWATCH_API_URL"] = demo.Url,
        ["JOBWATCH_API_TOKEN"] = DemoServer.ViewerToken,
    };

    [Fact]
    public async Task The_tool_shows_the_demos_running_jobs_history_and_health()
    {
        // The demo starts a long sync with item progress at once; wait until one is counting.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        CliResult active;
        while (true)
        {
            active = await ToolProcess.RunCliAsync(Environment, "active");
            if (active.ExitCode == 0 && Regex.IsMatch(active.Out, @"█*░* +\d+\.\d%"))
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No running job with progress appeared.\n{active}\n{demo.Describe()}");
            await Task.Delay(500);
        }
        Assert.StartsWith("ID", active.Lines[0]);
        Assert.Matches(@"^\d+ running$", active.Lines[^1]);

        var history = await ToolProcess.RunCliAsync(Environment, "history", "--limit", "50");
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("STARTED (UTC)", history.Lines[0]);
        Assert.True(history.Lines.Length > 2, history.ToString());

        // The exit status is the grade the server gives, whatever the demo's state is at this moment.
        var health = await ToolProcess.RunCliAsync(Environment, "health", "--json");
        var grade = System.Text.Json.JsonDocument.Parse(health.Out).RootElement.GetProperty("status").GetString();
        Assert.Equal(grade switch { "healthy" => 0, "degraded" => 1, _ => 2 }, health.ExitCode);

        var denied = await ToolProcess.RunCliAsync(Environment, "pause", "events");
        Assert.Equal(ExitCodes.AuthFailed, denied.ExitCode); // a viewer token may not act
        Assert.Contains("operator or admin", denied.Error);
    }

    [Fact]
    public async Task Metrics_prometheus_prints_the_servers_exposition()
    {
        var result = await ToolProcess.RunCliAsync(Environment, "metrics", "prometheus");

        Assert.True(result.ExitCode == 0, result.ToString());
        var sample = Regex.Match(result.Out, @"^jobwatch_jobs_enqueued_total(\{[^}]*\})? (\S+)$", RegexOptions.Multiline);
        Assert.True(sample.Success, result.Out);
        Assert.True(double.Parse(sample.Groups[2].Value, CultureInfo.InvariantCulture) >= 1, sample.Value);

        var unauthenticated = await ToolProcess.RunCliAsync(new Dictionary<string, string?> { ["JOBWATCH_API_URL"] = demo.Url }, "metrics", "prometheus");
        Assert.Equal(ExitCodes.AuthFailed, unauthenticated.ExitCode);
    }
}
