using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Jobwatch.Server.Logging;

/// <summary>
/// One flat JSON object per line, as log shippers and <c>jq</c> like them (seed 002's pino lines):
/// <c>timestamp, level, category, eventId, message</c>, then every scope and message field at the top level in
/// camelCase (<c>jobId, jobName, jobType, queue, attempt, phase, durationMs, statusCode, error, batchNumber …</c>),
/// then <c>exception</c> (type, message, full stack) when there is one.
/// </summary>
/// <remarks>
/// Microsoft's JSON console nests the same data under "State" and "Scopes", so finding a job's lines needs
/// <c>.Scopes[] | select(.JobId == 42)</c>; here it is <c>select(.jobId == 42)</c>. A field is written once:
/// the line's own fields win over its scopes', an inner scope's over an outer one's (a job line's
/// "phase": "completed" over the job scope's "processing").
/// </remarks>
public sealed class JsonLineFormatter(IOptionsMonitor<JsonLineFormatterOptions> options)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "jobwatch-json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Log lines are not HTML: keep '+', quotes and non-ASCII readable instead of \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Keys the formatter writes itself; a field of the same name is dropped rather than duplicated.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "timestamp", "level", "category", "eventId", "message", "exception" };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }
        var settings = options.CurrentValue;
        var fields = new LogFields();
        if (settings.IncludeScopes && scopeProvider is not null)
        {
            scopeProvider.ForEachScope(static (scope, f) => f.AddScope(scope), fields);
        }
        if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> state)
        {
            fields.AddAll(state);
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            var now = settings.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            json.WriteString("timestamp", now.ToString(settings.TimestampFormat ?? ServerLogging.TimestampFormat, System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", LevelName(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("eventId", logEntry.EventId.Id);
            }
            json.WriteString("message", message ?? logEntry.Exception!.Message);
            foreach (var (key, value) in fields.Items)
            {
                if (!Reserved.Contains(key))
                {
                    json.WritePropertyName(key);
                    LogValue.Write(json, value);
                }
            }
            if (logEntry.Exception is { } ex)
            {
                json.WriteStartObject("exception");
                json.WriteString("type", ex.GetType().FullName);
                json.WriteString("message", ex.Message);
                // ToString: the stack trace with every inner exception's, which is what one needs to debug a failure.
                json.WriteString("stack", ex.ToString());
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write(Environment.NewLine);
    }

    /// <summary>The short names log tools recognise (Loki, Elastic, Datadog).</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };

    /// <summary>Fields in first-seen order; a later value for the same key replaces the earlier one in place.</summary>
    private sealed class LogFields
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private List<string>? _unnamedScopes;

        public List<KeyValuePair<string, object?>> Items { get; } = [];

        public void AddScope(object? scope)
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                AddAll(pairs);
            }
            else if (scope is not null)
            {
                // A plain string scope, e.g. BeginScope("importing batch 7"): kept, in order, under "scopes".
                _unnamedScopes ??= [];
                _unnamedScopes.Add(scope.ToString() ?? "");
                Set("scopes", _unnamedScopes);
            }
        }

        public void AddAll(IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                // The message template is noise in a log line; the rendered message is there.
                if (key != "{OriginalFormat}")
                {
                    Set(CamelCase(key), value);
                }
            }
        }

        private void Set(string key, object? value)
        {
            if (_index.TryGetValue(key, out var at))
            {
                Items[at] = new(key, value);
                return;
            }
            _index[key] = Items.Count;
            Items.Add(new(key, value));
        }

        private static string CamelCase(string key) =>
            key.Length > 0 && char.IsUpper(key[0]) ? string.Create(key.Length, key, static (span, k) =>
            {
                k.AsSpan().CopyTo(span);
                span[0] = char.ToLowerInvariant(k[0]);
            }) : key;
    }
}

/// <summary>Its own options type, so configuring it never touches another console formatter's (Logging:Console:FormatterOptions).</summary>
public sealed class JsonLineFormatterOptions : ConsoleFormatterOptions;
