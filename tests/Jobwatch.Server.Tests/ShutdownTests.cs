using Jobwatch.Model;

namespace Jobwatch.Server.Tests;

/// <summary>SIGTERM (what systemd and docker send) stops the server gracefully: exit code 0 and nothing left active.</summary>
[Collection(ServerProcessCollection.Name)]
public sealed class ShutdownTests : ServerTestBase
{
    [Fact]
    public async Task Sigterm_exits_0_and_leaves_no_job_active()
    {
        using var server = StartDemo();
        await WaitForEngineAsync(server);
        await using var stored = StoredJobs.Open(DatabasePath);

        // Stop while a long sync and the external run are mid-way: the cases a careless shutdown leaves "running".
        await Eventually.HoldsAsync("a sync and the external run active", async () =>
        {
            var active = await stored.Monitor.GetActiveAsync();
            var sync = active.Any(v => v.Job.Type == "tick_sync" && v.Job.ItemsProcessed > 0);
            var run = active.Any(v => v.Job.IsExternal && v.Job.Name == "route_count_backfill");
            return sync && run ? null : $"sync running={sync}, external run running={run}";
        }, TimeSpan.FromSeconds(60), server.Describe);

        await server.TerminateAsync();
        var code = await server.WaitForExitAsync(ExitTimeout);

        Assert.True(code == 0, $"exit code {code}; {server.Describe()}");
        var left = await stored.Monitor.GetActiveAsync();
        Assert.True(left.Count == 0, $"still active after shutdown: {string.Join(", ", left.Select(v => $"{v.Job.Id} {v.Job.Name}"))}");

        var backfill = (await stored.Monitor.GetHistoryAsync("route_count_backfill", 1))[0].Job;
        Assert.Equal(JobState.Failed, backfill.State);
        Assert.Contains("server stopped", backfill.LastError);

        var lines = JsonLogLine.ParseAll(server.StdoutLines);
        Assert.Contains(lines, l => l.Message.StartsWith("Jobwatch stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_workers_runs_the_engine_without_executing_jobs_and_stops_on_sigterm()
    {
        using var server = StartDemo("--no-workers");

        var line = await WaitForEngineAsync(server);
        Assert.Contains("no workers", line);

        await server.TerminateAsync();
        var code = await server.WaitForExitAsync(ExitTimeout);
        Assert.True(code == 0, $"exit code {code}; {server.Describe()}");
        await using var stored = StoredJobs.Open(DatabasePath);
        Assert.Empty(await stored.Monitor.GetActiveAsync());
        var history = await stored.Monitor.GetHistoryAsync(limit: 1000);
        Assert.DoesNotContain(history, v => !v.Job.IsExternal);
    }
}
