using Jobwatch.AspNetCore.Auth;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Commands;

/// <summary>A live server of their own for the commands that change jobs and queues; each test works in its own queues.</summary>
public sealed class ActionServer : IAsyncLifetime
{
    public LiveServer Server { get; private set; } = null!;
    /// <summary>Failing jobs in queues of their own, so the bulk retry test's filter has something to leave out.</summary>
    public const string BulkFails = "bulk_fails", OtherFails = "other_fails";

    public async Task InitializeAsync() =>
        Server = await LiveServer.StartAsync(o => o.Handlers = jobwatch => jobwatch
            .AddHandler<FailHandler, FailArgs>(BulkFails, h => { h.MaxAttempts = 1; h.Queue = "bulk"; })
            .AddHandler<FailHandler, FailArgs>(OtherFails, h => { h.MaxAttempts = 1; h.Queue = "bulk-other"; }));
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class ActionCommandTests(ActionServer fixture) : IClassFixture<ActionServer>
{
    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task Retry_by_id_sends_a_failed_job_back_to_waiting()
    {
        var id = await Server.FailJobAsync("first attempt failed");

        var result = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "retry", "--id", id.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"Job {id} (always_fails) is waiting again in queue 'critical'.", result.Out.TrimEnd());
        Assert.Contains("retried", await TimelineKindsAsync(id));
    }

    [Fact]
    public async Task Retry_failed_with_a_queue_filter_retries_only_that_queues_dead_letters()
    {
        var a = await Server.FailJobAsync("a", ActionServer.BulkFails);
        var b = await Server.FailJobAsync("b", ActionServer.BulkFails);
        var other = await Server.FailJobAsync("other", ActionServer.OtherFails);

        var result = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "retry", "--failed", "--queue", "bulk", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal(2, json.GetProperty("count").GetInt32());
        Assert.Equal([a, b], json.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).Order());
        Assert.Contains("retried", await TimelineKindsAsync(a));
        Assert.DoesNotContain("retried", await TimelineKindsAsync(other));

        var none = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "retry", "--failed", "--queue", "bulk-empty");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal("No failed jobs matched; nothing was retried.", none.Out.TrimEnd());

        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var tooLate = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "retry", "--failed", "--job", ActionServer.OtherFails, "--failed-after", future);
        Assert.Equal("No failed jobs matched; nothing was retried.", tooLate.Out.TrimEnd()); // the time filter reaches the server

        var text = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "retry", "--failed", "--queue", "bulk-other", "--job", ActionServer.OtherFails);
        Assert.Equal($"Retried 1 failed job: {other}", text.Out.TrimEnd());
    }

    [Fact]
    public async Task Cancel_stops_a_running_job()
    {
        var id = await Server.StartCountingJobAsync();

        var result = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "cancel", "--id", id.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"Job {id} (counting_sync) is ", result.Out);
        await Server.WaitForStatusAsync(id, "cancelled");
        var again = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "cancel", "--id", id.ToString());
        Assert.Equal(5, again.ExitCode); // already cancelled: refused as things stand
    }

    [Fact]
    public async Task Pause_and_resume_show_in_queues()
    {
        await Server.WaitForStatusAsync(await Server.EnqueueAsync(EchoHandler.Name), "completed");

        var pause = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "pause", "default");
        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.Equal("Queue 'default' is paused: 0 waiting, 0 delayed, 0 active.", pause.Out.TrimEnd());
        Assert.Contains(" paused ", (await JobwatchCli.RunAsync(Server, "queues")).Lines.Single(l => l.StartsWith("default ", StringComparison.Ordinal)));

        var resume = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "resume", "default", "--json");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.False(resume.Json().GetProperty("paused").GetBoolean());
        Assert.Contains(" running ", (await JobwatchCli.RunAsync(Server, "queues")).Lines.Single(l => l.StartsWith("default ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pausing_a_queue_that_does_not_exist_yet_works_with_a_note()
    {
        var result = await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "pause", "not-yet-used");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no queue is named 'not-yet-used' yet", result.Error);
        Assert.Contains("is paused", result.Out);
        await JobwatchCli.RunAsync(Server, JobwatchRole.Operator, "resume", "not-yet-used");
    }

    private async Task<IReadOnlyList<string>> TimelineKindsAsync(long id)
    {
        using var client = Server.Client();
        var detail = await client.GetJobAsync(id) ?? throw new InvalidOperationException($"Job {id} is gone.");
        return detail.Timeline.Select(e => e.Kind).ToArray();
    }
}
