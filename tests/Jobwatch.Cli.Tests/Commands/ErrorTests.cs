using Jobwatch.AspNetCore.Auth;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Commands;

/// <summary>What goes wrong, said clearly, with exit codes that tell kinds of failure apart (docs/cli.md).</summary>
[Collection(SeededServerCollection.Name)]
public sealed class ErrorTests(SeededServer seeded)
{
    private LiveServer Server => seeded.Server;

    [Fact]
    public async Task An_unreachable_server_exits_7_naming_the_url_and_how_to_set_it()
    {
        var url = ClosedPort.Url();
        var result = await JobwatchCli.RunAsync("active", "--url", url);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Contains($"Cannot reach the Jobwatch server at {url} (connection refused)", result.Error);
        Assert.Contains("--url or JOBWATCH_API_URL", result.Error);
        Assert.Contains("comes from --url", result.Error);

        var fromEnvironment = await JobwatchCli.RunAsync(new Dictionary<string, string> { ["JOBWATCH_API_URL"] = url }, "history");
        Assert.Equal(ExitCodes.Unreachable, fromEnvironment.ExitCode);
        Assert.Contains("comes from JOBWATCH_API_URL", fromEnvironment.Error);
    }

    [Fact]
    public async Task Without_a_token_the_cli_exits_4_and_says_how_to_pass_one()
    {
        var result = await JobwatchCli.RunAsync("active", "--url", Server.Url);

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Contains("needs a token", result.Error);
        Assert.Contains("--token", result.Error);
        Assert.Contains("JOBWATCH_API_TOKEN", result.Error);
        Assert.Contains("viewer", result.Error);
    }

    [Fact]
    public async Task A_wrong_token_exits_4_without_echoing_it()
    {
        var result = await JobwatchCli.RunAsync("summary", "--url", Server.Url, "--token", "wrong-secret-xyz");

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Contains("did not accept the token from --token", result.Error);
        Assert.DoesNotContain("wrong-secret-xyz", result.Error);
    }

    [Fact]
    public async Task A_viewer_token_may_not_act_and_is_told_which_role_is_needed()
    {
        var result = await JobwatchCli.RunAsync(Server, JobwatchRole.Viewer, "retry", "--id", seeded.FailedId.ToString());

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Contains("needs an operator or admin token", result.Error);
        Assert.Contains("'viewer'", result.Error); // the server's own explanation is passed on
    }

    [Fact]
    public async Task Unknown_ids_and_queues_exit_3()
    {
        var cancel = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "cancel", "--id", "987654");
        Assert.Equal(ExitCodes.NotFound, cancel.ExitCode);
        Assert.Contains("987654", cancel.Error);

        var retry = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "retry", "--id", "987654");
        Assert.Equal(ExitCodes.NotFound, retry.ExitCode);

        var resume = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "resume", "no-such-queue");
        Assert.Equal(ExitCodes.NotFound, resume.ExitCode);
        Assert.Contains("No queue is named 'no-such-queue'", resume.Error);
        Assert.Contains("critical", resume.Error); // the known queues are listed
    }

    [Fact]
    public async Task Retrying_a_job_that_did_not_fail_exits_5_with_the_servers_reason()
    {
        var result = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "retry", "--id", seeded.CompletedIds[0].ToString());

        Assert.Equal(ExitCodes.Conflict, result.ExitCode);
        Assert.Contains("completed", result.Error);
    }

    [Theory]
    [InlineData("actve")]
    [InlineData("status")]
    [InlineData("status", "--id", "0")]
    [InlineData("status", "--id", "abc")]
    [InlineData("history", "--limit", "0")]
    [InlineData("failed", "--limit", "101")]
    [InlineData("retry")]
    [InlineData("retry", "--id", "5", "--failed")]
    [InlineData("retry", "--id", "5", "--queue", "critical")]
    [InlineData("watch", "--interval", "0")]
    [InlineData("retry", "--failed", "--failed-after", "yesterday")]
    [InlineData("retry", "--failed", "--status-code", "42")]
    [InlineData("pause")]
    [InlineData("metrics", "bogus")]
    [InlineData()]
    public async Task Usage_errors_exit_64_and_point_to_help(params string[] args)
    {
        var result = await JobwatchCli.RunAsync([.. args, "--url", Server.Url]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--help", result.Out + result.Error);
    }

    [Fact]
    public async Task Usage_errors_say_what_was_wrong()
    {
        var limit = await JobwatchCli.RunAsync("history", "--limit", "500");
        Assert.Contains("--limit must be a whole number from 1 to 100 (got 500)", limit.Error);

        var retry = await JobwatchCli.RunAsync("retry");
        Assert.Contains("either --id ID (one job) or --failed", retry.Error);

        var status = await JobwatchCli.RunAsync("status");
        Assert.Contains("'status' needs a job id", status.Error);

        var time = await JobwatchCli.RunAsync("retry", "--failed", "--failed-before", "soon");
        Assert.Contains("--failed-before must be a time in ISO 8601, e.g. 2026-02-15T06:00:00Z (got soon)", time.Error);
    }

    [Theory]
    [InlineData("--url", "localhost:8080")]
    [InlineData("--url", "ftp://jobs.example.com")]
    public async Task A_malformed_url_exits_64_naming_where_it_came_from(string option, string value)
    {
        var result = await JobwatchCli.RunAsync("active", option, value);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"--url: '{value}' is not a server address", result.Error);

        var fromEnvironment = await JobwatchCli.RunAsync(new Dictionary<string, string> { ["JOBWATCH_API_URL"] = value }, "active");
        Assert.Equal(ExitCodes.Usage, fromEnvironment.ExitCode);
        Assert.Contains($"JOBWATCH_API_URL: '{value}'", fromEnvironment.Error);
    }

    [Fact]
    public async Task A_url_that_is_not_a_jobwatch_api_exits_6()
    {
        // The same host under a path where nothing is mapped: every route is a bare 404.
        var result = await JobwatchCli.RunAsync("active", "--url", Server.Url + "not-jobwatch/", "--token", LiveServer.Secret(JobwatchRole.Viewer));

        Assert.Equal(ExitCodes.ServerError, result.ExitCode);
        Assert.Contains(Server.Url + "not-jobwatch/", result.Error);
        Assert.Contains("no such endpoint", result.Error);
    }
}
