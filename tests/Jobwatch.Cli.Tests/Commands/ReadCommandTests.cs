using System.Text.Json;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Commands;

/// <summary>The read commands against a live server with known jobs: tables, --json as the server sent it, exit codes.</summary>
[Collection(SeededServerCollection.Name)]
public sealed class ReadCommandTests(SeededServer seeded)
{
    private LiveServer Server => seeded.Server;

    [Fact]
    public async Task Active_shows_the_running_job_with_a_progress_bar_items_rate_and_eta()
    {
        var result = await JobwatchCli.RunAsync(Server, "active");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["ID", "JOB", "QUEUE", "PROGRESS", "ITEMS", "FAILED", "RATE", "ELAPSED", "ETA"], result.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = Row(result, seeded.RunningId);
        Assert.Contains("counting_sync", row);
        Assert.Contains("██████████░░░░░░░░░░  50.0%", row);
        Assert.Contains("100/200", row);
        Assert.Matches(@"\s3\s", row); // items failed
        Assert.Matches(@"[\d.,]+/s", row); // items per second
        Assert.Equal("1 running", result.Lines[^1]);
        Assert.DoesNotContain("\u001b[", result.Out, StringComparison.Ordinal); // no colors when not writing to a terminal
    }

    [Fact]
    public async Task Active_json_is_the_servers_document()
    {
        var result = await JobwatchCli.RunAsync(Server, "active", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var job = Assert.Single(result.Json().GetProperty("jobs").EnumerateArray());
        Assert.Equal(seeded.RunningId, job.GetProperty("id").GetInt64());
        Assert.Equal("counting_sync", job.GetProperty("job_name").GetString());
        Assert.Equal("running", job.GetProperty("status").GetString());
        Assert.Equal(100, job.GetProperty("items_processed").GetInt64());
        Assert.Equal(200, job.GetProperty("total_items").GetInt64());
        Assert.Equal(50.0, job.GetProperty("progress_percent").GetDouble());
        // Seed 001's fields in the server's order, including ones the CLI itself never reads.
        var names = job.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["id", "job_name", "job_type", "status", "total_items", "items_processed", "items_succeeded", "items_failed", "progress_percent",
            "started_at", "elapsed_seconds", "estimated_remaining_seconds", "items_per_second", "metadata"], names.Take(14));
    }

    [Fact]
    public async Task History_lists_runs_newest_first_with_outcome_code_and_error()
    {
        var result = await JobwatchCli.RunAsync(Server, "history");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ID", result.Lines[0]);
        Assert.Contains("STARTED (UTC)", result.Lines[0]);
        var ids = result.Lines.Skip(1).Select(l => long.Parse(l.TrimStart().Split(' ')[0])).ToArray();
        Assert.Equal([seeded.RunningId, seeded.FailedId, .. seeded.CompletedIds.Reverse()], ids);
        var failed = Row(result, seeded.FailedId);
        Assert.Contains("always_fails", failed);
        Assert.Contains("failed", failed);
        Assert.Contains("500 INTERNAL_ERROR", failed);
        Assert.Contains(SeededServer.FailureMessage, failed);
        Assert.Contains("200 SUCCESS", Row(result, seeded.CompletedIds[0]));
        Assert.Contains("running", Row(result, seeded.RunningId));
    }

    [Fact]
    public async Task History_filters_by_job_name_and_limits()
    {
        var result = await JobwatchCli.RunAsync(Server, "history", "--job", "echo", "--limit", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, result.Lines.Length);
        Assert.Contains(seeded.CompletedIds[2].ToString(), result.Lines[1]);
        Assert.Contains(seeded.CompletedIds[1].ToString(), result.Lines[2]);
        Assert.All(result.Lines.Skip(1), l => Assert.Contains(" echo ", l));
    }

    [Fact]
    public async Task History_of_an_unknown_job_name_says_so()
    {
        var result = await JobwatchCli.RunAsync(Server, "history", "--job", "no_such_job");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No runs of 'no_such_job'", result.Out);
    }

    [Fact]
    public async Task History_json_is_seed_001s_shape()
    {
        var result = await JobwatchCli.RunAsync(Server, "history", "--job", "always_fails", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var job = Assert.Single(result.Json().GetProperty("jobs").EnumerateArray());
        Assert.Equal(seeded.FailedId, job.GetProperty("id").GetInt64());
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(SeededServer.FailureMessage, job.GetProperty("error_message").GetString());
    }

    [Fact]
    public async Task Summary_shows_the_latest_run_of_every_job_name()
    {
        var result = await JobwatchCli.RunAsync(Server, "summary");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["JOB", "STATUS", "LAST", "RUN", "(UTC)", "DURATION", "PROGRESS", "NEXT", "RUN", "(UTC)"], result.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("completed", RowStarting(result, "echo "));
        Assert.Contains("failed", RowStarting(result, "always_fails "));
        var running = RowStarting(result, "counting_sync ");
        Assert.Contains("running", running);
        Assert.Contains("100/200 (50.0%)", running);
        Assert.Equal("3 job names: 1 running, 1 last failed", result.Lines[^1]);

        var json = (await JobwatchCli.RunAsync(Server, "summary", "--json")).Json().GetProperty("summary");
        Assert.Equal("completed", json.GetProperty("echo").GetProperty("status").GetString());
        Assert.Equal("failed", json.GetProperty("always_fails").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Status_shows_a_failed_job_with_its_error_stack_and_timeline()
    {
        var result = await JobwatchCli.RunAsync(Server, "status", "--id", seeded.FailedId.ToString());
        var json = (await JobwatchCli.RunAsync(Server, "status", "--id", seeded.FailedId.ToString(), "--json")).Json();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"Job {seeded.FailedId}  always_fails  failed", result.Lines[0]);
        Assert.Contains(result.Lines, l => l.Contains("Queue") && l.Contains("critical"));
        Assert.Contains(result.Lines, l => l.Contains("Status code") && l.Contains("500 INTERNAL_ERROR"));
        Assert.Contains(result.Lines, l => l.Contains("Attempt") && l.Contains("1 of 1"));
        var error = Array.IndexOf(result.Lines, "Error");
        Assert.True(error > 0, result.ToString());
        Assert.Equal("  " + SeededServer.FailureMessage, result.Lines[error + 1]);
        Assert.Contains(nameof(FailHandler), string.Join('\n', result.Lines.Skip(error + 2).Take(JobDetailViewStackLines)));
        // Every timeline entry the server has is a row of the table, in order.
        var timeline = json.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray();
        Assert.True(timeline.Length >= 2, json.ToString());
        var rows = result.Lines.SkipWhile(l => l != "Timeline").Skip(2).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]).ToArray();
        Assert.Equal(timeline, rows);

        Assert.Equal(seeded.FailedId, json.GetProperty("job").GetProperty("id").GetInt64());
        Assert.Contains(nameof(FailHandler), json.GetProperty("last_error_stack").GetString());
    }

    [Fact]
    public async Task Status_of_a_running_job_shows_its_progress()
    {
        var result = await JobwatchCli.RunAsync(Server, "status", "--id", seeded.RunningId.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"Job {seeded.RunningId}  counting_sync  active", result.Lines[0]);
        Assert.Contains(result.Lines, l => l.Contains("Progress") && l.Contains("50.0%") && l.Contains('█'));
        Assert.Contains(result.Lines, l => l.Contains("Items") && l.Contains("100/200 (97 succeeded, 3 failed)"));
    }

    [Fact]
    public async Task Status_of_an_unknown_id_exits_3_and_says_so()
    {
        var result = await JobwatchCli.RunAsync(Server, "status", "--id", "987654");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("No job has id 987654", result.Error);
        Assert.Contains("jobwatch history", result.Error);
    }

    [Fact]
    public async Task Failed_lists_the_dead_letter_queue_with_errors()
    {
        var result = await JobwatchCli.RunAsync(Server, "failed");

        Assert.True(result.ExitCode == 0, result.ToString());
        var row = Row(result, seeded.FailedId);
        Assert.Contains("critical", row);
        Assert.Contains("always_fails", row);
        Assert.Contains("500 INTERNAL_ERROR", row);
        Assert.Contains("1/1", row);
        Assert.Contains(SeededServer.FailureMessage, row);
        Assert.Contains("jobwatch retry --id ID", result.Lines[^1]);

        var json = (await JobwatchCli.RunAsync(Server, "failed", "--limit", "5", "--json")).Json();
        Assert.Equal(1, json.GetProperty("count").GetInt32());
        Assert.Equal(seeded.FailedId, json.GetProperty("jobs")[0].GetProperty("jobId").GetInt64());
    }

    [Fact]
    public async Task Queues_shows_counts_per_state()
    {
        var result = await JobwatchCli.RunAsync(Server, "queues");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["QUEUE", "STATE", "WAITING", "DELAYED", "ACTIVE", "COMPLETED", "FAILED", "CANCELLED", "OLDEST", "WAIT", "WORKERS"], result.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["critical", "running", "0", "0", "0", "0", "1", "0", "-"], RowStarting(result, "critical ").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(9));
        Assert.Equal(["sync", "running", "0", "0", "1", "0", "0", "0", "-"], RowStarting(result, "sync ").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(9));
        Assert.Equal(["default", "running", "0", "0", "0", "3", "0", "0", "-"], RowStarting(result, "default ").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(9));

        var json = (await JobwatchCli.RunAsync(Server, "queues", "--json")).Json();
        Assert.Equal(["critical", "default", "sync"], json.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Url_and_token_come_from_the_environment_and_options_win_over_it()
    {
        var env = new Dictionary<string, string> { ["JOBWATCH_API_URL"] = Server.Url, ["JOBWATCH_API_TOKEN"] = LiveServer.Secret(JobwatchRole.Viewer) };
        var fromEnvironment = await JobwatchCli.RunAsync(env, "active");
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        Assert.Contains("counting_sync", fromEnvironment.Out);

        var wrongEnvironment = new Dictionary<string, string> { ["JOBWATCH_API_URL"] = "http://127.0.0.1:9/", ["JOBWATCH_API_TOKEN"] = "not-a-token" };
        var overridden = await JobwatchCli.RunAsync(wrongEnvironment, "active", "--url", Server.Url, "--token", LiveServer.Secret(JobwatchRole.Viewer));
        Assert.True(overridden.ExitCode == 0, overridden.ToString());
    }

    private const int JobDetailViewStackLines = Jobwatch.Cli.Views.JobDetailView.StackLines;

    private static string Row(CliResult result, long id) =>
        result.Lines.FirstOrDefault(l => l.TrimStart().StartsWith(id + " ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No row for job {id}:\n{result}");

    private static string RowStarting(CliResult result, string prefix) =>
        result.Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No row starting '{prefix}':\n{result}");
}
