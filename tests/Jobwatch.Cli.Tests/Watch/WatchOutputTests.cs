using System.Text.Json;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Watch;

/// <summary><c>watch</c> writing to a pipe: JSON lines for scripts with --json, plain frames one after another otherwise.</summary>
public sealed class WatchOutputTests
{
    [Fact]
    public async Task Watch_json_prints_one_active_jobs_document_per_refresh_until_interrupted()
    {
        await using var server = await LiveServer.StartAsync();
        var id = await server.StartCountingJobAsync();

        var result = await JobwatchCli.RunUntilAsync(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 3,
            "watch", "--json", "--interval", "0.2", "--url", server.Url, "--token", LiveServer.Secret(JobwatchRole.Viewer));

        Assert.True(result.ExitCode == 0, result.ToString()); // interrupting is how watch ends
        Assert.True(result.Lines.Length >= 3, result.ToString());
        foreach (var line in result.Lines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(id, doc.RootElement.GetProperty("jobs")[0].GetProperty("id").GetInt64());
        }
    }

    [Fact]
    public async Task Watch_to_a_pipe_appends_plain_frames_and_reports_an_outage()
    {
        var url = ClosedPort.Url();

        var result = await JobwatchCli.RunUntilAsync(o => o.Split("jobwatch watch").Length > 2, "watch", "--interval", "0.2", "--url", url);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("\u001b", result.Out, StringComparison.Ordinal);
        Assert.Contains($"jobwatch watch  {url}  every 0.2s", result.Lines[0]);
        Assert.Contains("Server unreachable: connection refused", result.Out);
        Assert.Contains("No data yet.", result.Out);
        Assert.Contains("2 failed attempts", result.Out); // the second frame counts on
    }
}
