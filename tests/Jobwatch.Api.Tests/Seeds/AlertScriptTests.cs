using System.Diagnostics;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Seeds;

/// <summary>Seed 001's alerting script, run as written with the real curl and jq.</summary>
public sealed class AlertScriptTests
{
    private static async Task<ApiTestServer> StartWithOneFailureAsync(bool withTokens)
    {
        var server = await ApiTestServer.StartAsync(o => o.WithTokens = withTokens);
        var echo = await server.Jobs.EnqueueAsync(new EchoArgs());
        var failed = await server.Jobs.EnqueueAsync(new FailArgs(429, "rate limited"));
        await server.WaitForJobAsync(echo, j => j.State == JobState.Completed, "completed");
        await server.WaitForJobAsync(failed, j => j.State == JobState.Failed, "failed");
        return server;
    }

    private static string Base(ApiTestServer server) => server.BaseAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task The_seeds_jq_pipeline_prints_the_failed_jobs_name()
    {
        // Tokenless, so the seed's command runs exactly as written (loopback callers are admitted).
        await using var server = await StartWithOneFailureAsync(withTokens: false);
        var (exit, output, error) = await RunAsync(
            """curl -s $BASE/api/monitoring/jobs/history?limit=5 | jq '.jobs[] | select(.status == "failed") | .job_name'""",
            Base(server));
        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.Equal("\"always_fails\"\n", output);
    }

    [Fact]
    public async Task The_seeds_alert_on_failure_script_raises_its_alert()
    {
        await using var server = await StartWithOneFailureAsync(withTokens: false);
        // alert_on_failure.sh from seed 001, with its URL pointed at the test server.
        var script = """
            RESPONSE=$(curl -s $BASE/api/monitoring/jobs/history?limit=5)
            FAILURES=$(echo $RESPONSE | jq '.jobs[] | select(.status == "failed") | .job_name' | wc -l)

            if [ $FAILURES -gt 0 ]; then
                echo "ALERT: $FAILURES failed jobs detected"
                # Send email, Slack notification, etc.
            fi
            """;
        var (exit, output, error) = await RunAsync(script, Base(server));
        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.Equal("ALERT: 1 failed jobs detected\n", output);
    }

    [Fact]
    public async Task With_tokens_the_pipeline_works_with_a_viewer_token_and_prints_nothing_without_one()
    {
        await using var server = await StartWithOneFailureAsync(withTokens: true);
        var pipeline = """curl -s {0} $BASE/api/monitoring/jobs/history?limit=5 | jq '.jobs[] | select(.status == "failed") | .job_name'""";

        var withToken = await RunAsync(string.Format(pipeline, $"-H \"Authorization: Bearer {ApiTestServer.Secret(JobwatchRole.Viewer)}\""), Base(server));
        Assert.True(withToken.Exit == 0, $"exit {withToken.Exit}: {withToken.Error}");
        Assert.Equal("\"always_fails\"\n", withToken.Output);

        // Without the token the server answers 401, so the pipeline finds no jobs to print.
        var without = await RunAsync(string.Format(pipeline, ""), Base(server));
        Assert.Equal("", without.Output);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string script, string baseUrl)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["BASE"] = baseUrl },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The script did not finish within 30 s: {script}");
        }
        return (process.ExitCode, await output, await error);
    }
}
