using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jobwatch.Server.Tests;

/// <summary>The demo's JSON console output: one object per line, carrying the engine's job scope and phase (seed 002).</summary>
[Collection(ServerProcessCollection.Name)]
public sealed partial class DemoLogTests : ServerTestBase
{
    private static readonly TimeSpan LogTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_line_is_json_and_job_lines_carry_JobId_JobName_Queue_Attempt_and_Phase()
    {
        using var server = StartDemo();

        var lines = await server.WaitForAsync("started, completed and scoring-batch lines", all =>
        {
            var parsed = JsonLogLine.ParseAll(all);
            return parsed.Any(IsStarted) && parsed.Any(IsCompleted) && parsed.Any(l => l.Phase == "validator-processing") ? parsed : null;
        }, LogTimeout);

        var started = lines.First(IsStarted);
        var completed = lines.First(IsCompleted);
        foreach (var line in new[] { started, completed })
        {
            Assert.True(line.HasJobScope, $"no job scope: {line.Text}");
            Assert.Equal(JsonValueKind.Number, line.Scope("JobId")!.Value.ValueKind);
            Assert.True(line.Scope("Attempt")!.Value.GetInt32() >= 1, line.Text);
            Assert.False(string.IsNullOrEmpty(line.Scope("Queue")!.Value.GetString()), line.Text);
            Assert.Equal(line.Scope("JobName")!.Value.GetString(), line.State("JobName")!.Value.GetString());
            Assert.Matches(IsoUtc(), line.Root.GetProperty("Timestamp").GetString());
        }
        Assert.True(completed.State("StatusCode")!.Value.GetInt32() is >= 200 and < 400, completed.Text);
        Assert.False(string.IsNullOrEmpty(completed.State("StatusLabel")!.Value.GetString()), completed.Text);

        // Seed 002: each batch's progress as structured fields, inside the scoring job's scope.
        var batch = lines.First(l => l.Phase == "validator-processing");
        Assert.Equal("scoringAllValidators", batch.Scope("JobName")!.Value.GetString());
        Assert.Equal("score", batch.Scope("JobType")!.Value.GetString());
        Assert.Equal(5, batch.State("TotalBatches")!.Value.GetInt32());
        Assert.Equal(50, batch.State("BatchSize")!.Value.GetInt32());
        Assert.True(batch.State("BatchNumber")!.Value.GetInt32() >= 1, batch.Text);
        Assert.Matches(@"^\d+/250$", batch.State("Progress")!.Value.GetString());
        Assert.Matches(@"^\d+(\.\d)?%$", batch.State("SuccessRate")!.Value.GetString());
    }

    [Fact]
    public async Task A_rate_limited_osint_job_is_retried_and_a_retry_completes()
    {
        using var server = StartDemo();

        var lines = await server.WaitForAsync("a 429 retry line and a completed second attempt", all =>
        {
            var parsed = JsonLogLine.ParseAll(all);
            var retried = parsed.Where(l => l.Phase == "failed" && l.State("StatusCode")?.GetInt32() == 429 && l.State("RetryAt") is not null).ToArray();
            var retriedIds = retried.Select(l => l.Scope("JobId")!.Value.GetInt64()).ToHashSet();
            return parsed.Any(l => IsCompleted(l) && l.Scope("Attempt")!.Value.GetInt32() >= 2 && retriedIds.Contains(l.Scope("JobId")!.Value.GetInt64()))
                ? parsed
                : null;
        }, LogTimeout);

        var limited = lines.First(l => l.State("StatusCode")?.GetInt32() == 429);
        Assert.Equal("RATE_LIMITED", limited.State("StatusLabel")!.Value.GetString());
        Assert.StartsWith("OSINT_", limited.Scope("Queue")!.Value.GetString());
    }

    private static bool IsStarted(JsonLogLine l) => l.Category == "Jobwatch.Job" && l.Phase == "started" && l.HasJobScope;

    private static bool IsCompleted(JsonLogLine l) => l.Category == "Jobwatch.Job" && l.Phase == "completed" && l.State("StatusCode") is not null && l.HasJobScope;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex IsoUtc();
}
