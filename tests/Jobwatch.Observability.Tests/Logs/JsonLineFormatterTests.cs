using System.Text.Json;
using Jobwatch.Engine;
using Jobwatch.Server.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobwatch.Observability.Tests.Logs;

/// <summary>
/// The server's JSON line formatter on lines the demo does not produce on demand: a handler's own line inside a
/// job (phase "processing"), exceptions, plain scopes and odd values. The demo's real output is checked in
/// Jobwatch.Server.Tests' DemoLogTests.
/// </summary>
public sealed class JsonLineFormatterTests
{
    [Fact]
    public void A_handler_line_inside_a_job_carries_the_job_context_with_phase_processing()
    {
        var line = Format(LogLevel.Information, "Fetched {Count} rows from {Table}", [new("Count", 120), new("Table", "guilds")],
            scopes: [new JobLogScope(42, "osint_guild", "osint", "OSINT_Guilds", 2)]);

        Assert.Equal("info", line.GetProperty("level").GetString());
        Assert.Equal("Fetched 120 rows from guilds", line.GetProperty("message").GetString());
        Assert.Equal(42, line.GetProperty("jobId").GetInt64());
        Assert.Equal("osint_guild", line.GetProperty("jobName").GetString());
        Assert.Equal("osint", line.GetProperty("jobType").GetString());
        Assert.Equal("OSINT_Guilds", line.GetProperty("queue").GetString());
        Assert.Equal(2, line.GetProperty("attempt").GetInt32());
        Assert.Equal("processing", line.GetProperty("phase").GetString());
        Assert.Equal(120, line.GetProperty("count").GetInt32());
        Assert.False(line.TryGetProperty("{OriginalFormat}", out _));
    }

    [Fact]
    public void A_lines_own_phase_replaces_the_scopes_and_each_field_is_written_once()
    {
        var text = FormatText(LogLevel.Information, "Job {JobName} completed in {DurationMs} ms, phase {Phase}",
            [new("JobName", "osint_guild"), new("DurationMs", 12.5), new("Phase", "completed")],
            scopes: [new JobLogScope(7, "osint_guild", "osint", "OSINT_Guilds", 1)]);
        var line = JsonDocument.Parse(text).RootElement;

        Assert.Equal("completed", line.GetProperty("phase").GetString());
        Assert.Equal(12.5, line.GetProperty("durationMs").GetDouble());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "\"phase\":"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "\"jobName\":"));
    }

    [Fact]
    public void An_exception_is_written_with_its_type_message_and_stack_on_the_same_line()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("roster fetch failed\nsecond line", new TimeoutException("upstream timed out"));
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var text = FormatText(LogLevel.Error, "Job {JobName} failed: {Error}, phase {Phase}",
            [new("JobName", "osint_guild"), new("Error", thrown.Message), new("Phase", "failed")], exception: thrown);
        var line = JsonDocument.Parse(text).RootElement;

        Assert.DoesNotContain('\n', text.TrimEnd('\n', '\r'));
        Assert.Equal("error", line.GetProperty("level").GetString());
        Assert.Equal("roster fetch failed\nsecond line", line.GetProperty("error").GetString());
        var exception = line.GetProperty("exception");
        Assert.Equal("System.InvalidOperationException", exception.GetProperty("type").GetString());
        Assert.Equal("roster fetch failed\nsecond line", exception.GetProperty("message").GetString());
        var stack = exception.GetProperty("stack").GetString()!;
        Assert.Contains(nameof(An_exception_is_written_with_its_type_message_and_stack_on_the_same_line), stack);
        Assert.Contains("upstream timed out", stack);
    }

    [Fact]
    public void Plain_scopes_are_kept_in_order_and_values_keep_their_json_types()
    {
        var at = new DateTimeOffset(2026, 2, 15, 6, 0, 0, TimeSpan.Zero);
        var line = Format(LogLevel.Warning, "{Ok} {Ratio} {NotANumber} {At} {Took} {Severity} {Nothing} {Big}",
            [new("Ok", true), new("Ratio", 0.25), new("NotANumber", double.NaN), new("At", at), new("Took", TimeSpan.FromSeconds(1.5)), new("Severity", LogLevel.Warning), new("Nothing", null), new("Big", 5_000_000_000L)],
            scopes: ["importing batch 7", "page 2"]);

        Assert.Equal("warn", line.GetProperty("level").GetString());
        Assert.Equal(["importing batch 7", "page 2"], line.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.True(line.GetProperty("ok").GetBoolean());
        Assert.Equal(0.25, line.GetProperty("ratio").GetDouble());
        Assert.Equal("NaN", line.GetProperty("notANumber").GetString());
        Assert.Equal("2026-02-15T06:00:00.0000000+00:00", line.GetProperty("at").GetString());
        Assert.Equal("00:00:01.5000000", line.GetProperty("took").GetString());
        Assert.Equal("Warning", line.GetProperty("severity").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("nothing").ValueKind);
        Assert.Equal(5_000_000_000L, line.GetProperty("big").GetInt64());
    }

    [Fact]
    public void Fields_named_like_the_formatters_own_keys_do_not_duplicate_them()
    {
        var text = FormatText(LogLevel.Information, "{Message} at {Timestamp}", [new("Message", "inner"), new("Timestamp", "yesterday")]);
        var line = JsonDocument.Parse(text).RootElement;

        Assert.Equal("inner at yesterday", line.GetProperty("message").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", line.GetProperty("timestamp").GetString());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "\"message\":"));
    }

    private static JsonElement Format(LogLevel level, string template, KeyValuePair<string, object?>[] fields, object[]? scopes = null, Exception? exception = null) =>
        JsonDocument.Parse(FormatText(level, template, fields, scopes, exception)).RootElement.Clone();

    private static string FormatText(LogLevel level, string template, KeyValuePair<string, object?>[] fields, object[]? scopes = null, Exception? exception = null)
    {
        var options = new JsonLineFormatterOptions { IncludeScopes = true, UseUtcTimestamp = true, TimestampFormat = Jobwatch.Server.ServerLogging.TimestampFormat };
        var formatter = new JsonLineFormatter(new StaticOptions(options));
        var scopeProvider = new LoggerExternalScopeProvider();
        var pushed = (scopes ?? []).Select(s => scopeProvider.Push(s)).ToList();
        var state = new TemplateState(template, fields);
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<TemplateState>(level, "Tests", new EventId(1), state, exception, (s, _) => s.ToString()), scopeProvider, writer);
        pushed.Reverse();
        pushed.ForEach(p => p.Dispose());
        var text = writer.ToString();
        Assert.EndsWith(Environment.NewLine, text);
        Assert.Equal(1, text.Count(c => c == '\n'));
        return text;
    }

    /// <summary>What LoggerMessage produces: the fields, then the template as {OriginalFormat}; ToString renders it.</summary>
    private sealed class TemplateState(string template, KeyValuePair<string, object?>[] fields) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _all = [.. fields, new("{OriginalFormat}", template)];

        public int Count => _all.Length;
        public KeyValuePair<string, object?> this[int index] => _all[index];
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_all).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => fields.Aggregate(template, (text, f) =>
            text.Replace("{" + f.Key + "}", Convert.ToString(f.Value, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    private sealed class StaticOptions(JsonLineFormatterOptions value) : IOptionsMonitor<JsonLineFormatterOptions>
    {
        public JsonLineFormatterOptions CurrentValue => value;
        public JsonLineFormatterOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<JsonLineFormatterOptions, string?> listener) => null;
    }
}
