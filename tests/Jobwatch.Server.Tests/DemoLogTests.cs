using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jobwatch.Server.Tests;

/// <summary>The demo's JSON console output: one flat object per line, carrying the job context and phase (seed 002).</summary>
[Collection(ServerProcessCollection.Name)]
public sealed partial class DemoLogTests : ServerTestBase
{
    private static readonly TimeSpan LogTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_line_is_json_and_job_lines_carry_the_job_context_phase_and_duration()
    {
        using var server = StartDemo();

        var lines = await server.WaitForAsync("started, completed and scoring-batch lines", all =>
        {
            var parsed = JsonLogLine.ParseAll(all);
            return parsed.Any(IsStarted) && parsed.Any(IsCompleted) && parsed.Any(l => l.Phase == "validator-processing") ? parsed : null;
        }, LogTimeout);

        Assert.All(lines, l => Assert.Matches(IsoUtc(), l.Root.GetProperty("timestamp").GetString()));
        Assert.All(lines, l => Assert.Contains(l.Level, new[] { "trace", "debug", "info", "warn", "error", "critical" }));

        var started = lines.First(IsStarted);
        var completed = lines.First(IsCompleted);
        foreach (var line in new[] { started, completed })
        {
            Assert.Equal("info", line.Level);
            Assert.Equal(JsonValueKind.Number, line.Field("jobId")!.Value.ValueKind);
            Assert.True(line.Field("attempt")!.Value.GetInt32() >= 1, line.Text);
            Assert.False(string.IsNullOrEmpty(line.Field("queue")!.Value.GetString()), line.Text);
            Assert.False(string.IsNullOrEmpty(line.Field("jobName")!.Value.GetString()), line.Text);
            Assert.Contains(line.Field("jobName")!.Value.GetString()!, line.Message);
        }
        Assert.Equal(JsonValueKind.Number, completed.Field("durationMs")!.Value.ValueKind);
        Assert.True(completed.Field("durationMs")!.Value.GetDouble() >= 0, completed.Text);
        Assert.True(completed.Field("statusCode")!.Value.GetInt32() is >= 200 and < 400, completed.Text);
        Assert.False(string.IsNullOrEmpty(completed.Field("statusLabel")!.Value.GetString()), completed.Text);
        // Fields appear once: the line's own phase replaced the job scope's "processing".
        Assert.Single(Regex.Matches(completed.Text, "\"phase\":"));

        // Seed 002: each batch's progress as top-level fields, inside the scoring job's context.
        var batch = lines.First(l => l.Phase == "validator-processing");
        Assert.True(batch.HasJobContext, batch.Text);
        Assert.Equal("scoringAllValidators", batch.Field("jobName")!.Value.GetString());
        Assert.Equal("score", batch.Field("jobType")!.Value.GetString());
        Assert.Equal(5, batch.Field("totalBatches")!.Value.GetInt32());
        Assert.Equal(50, batch.Field("batchSize")!.Value.GetInt32());
        Assert.True(batch.Field("batchNumber")!.Value.GetInt32() >= 1, batch.Text);
        Assert.Matches(@"^\d+/250$", batch.Field("progress")!.Value.GetString());
        Assert.Matches(@"^\d+(\.\d)?%$", batch.Field("successRate")!.Value.GetString());
    }

    [Fact]
    public async Task Failures_carry_the_error_a_thrown_one_its_stack_and_a_rate_limited_job_is_retried_to_completion()
    {
        using var server = StartDemo();

        var lines = await server.WaitForAsync("a 429 retry line, a completed second attempt and a failure with an exception", all =>
        {
            var parsed = JsonLogLine.ParseAll(all);
            var retried = parsed.Where(l => l.Phase == "failed" && l.Field("statusCode")?.GetInt32() == 429 && l.Field("retryAt") is not null).ToArray();
            var retriedIds = retried.Select(l => l.Field("jobId")!.Value.GetInt64()).ToHashSet();
            return parsed.Any(l => IsCompleted(l) && l.Field("attempt")!.Value.GetInt32() >= 2 && retriedIds.Contains(l.Field("jobId")!.Value.GetInt64()))
                && parsed.Any(IsFailedWithException)
                ? parsed
                : null;
        }, LogTimeout);

        var limited = lines.First(l => l.Phase == "failed" && l.Field("statusCode")?.GetInt32() == 429);
        Assert.Equal("warn", limited.Level);
        Assert.True(limited.HasJobContext, limited.Text);
        Assert.Equal("RATE_LIMITED", limited.Field("statusLabel")!.Value.GetString());
        Assert.StartsWith("OSINT_", limited.Field("queue")!.Value.GetString());
        Assert.False(string.IsNullOrEmpty(limited.Field("error")!.Value.GetString()), limited.Text);
        Assert.Equal(JsonValueKind.Number, limited.Field("durationMs")!.Value.ValueKind);

        // A handler that threw: the error text, and the exception with its type and stack trace (seed 002's audit of failures).
        var thrown = lines.First(IsFailedWithException);
        Assert.True(thrown.HasJobContext, thrown.Text);
        Assert.False(string.IsNullOrEmpty(thrown.Field("error")!.Value.GetString()), thrown.Text);
        var exception = thrown.Field("exception")!.Value;
        Assert.False(string.IsNullOrEmpty(exception.GetProperty("type").GetString()), thrown.Text);
        Assert.Contains(" at ", exception.GetProperty("stack").GetString());
    }

    private static bool IsStarted(JsonLogLine l) => l.Category == "Jobwatch.Job" && l.Phase == "started" && l.HasJobContext;

    private static bool IsCompleted(JsonLogLine l) => l.Category == "Jobwatch.Job" && l.Phase == "completed" && l.Field("statusCode") is not null && l.HasJobContext;

    private static bool IsFailedWithException(JsonLogLine l) =>
        l.Category == "Jobwatch.Job" && l.Phase == "failed" && l.Field("exception") is { ValueKind: JsonValueKind.Object };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex IsoUtc();
}
