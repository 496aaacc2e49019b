using System.Text.Json;

namespace Jobwatch.Server.Tests;

/// <summary>
/// One line of the server's JSON console output (Jobwatch.Server.Logging.JsonLineFormatter): a flat object with
/// timestamp, level, category, eventId, message, then every scope and message field in camelCase.
/// </summary>
public sealed class JsonLogLine
{
    /// <summary>The job context every line logged about a job carries (seed 002).</summary>
    public static readonly string[] JobContextFields = ["jobId", "jobName", "jobType", "queue", "attempt", "phase"];

    private JsonLogLine(string text, JsonElement root)
    {
        Text = text;
        Root = root;
    }

    public string Text { get; }
    public JsonElement Root { get; }
    public string Category => Root.GetProperty("category").GetString() ?? "";
    public string Message => Root.GetProperty("message").GetString() ?? "";
    public string Level => Root.GetProperty("level").GetString() ?? "";

    /// <summary>Parses every line; a line that is not one JSON object with timestamp, level, category and message fails the test, naming it.</summary>
    public static IReadOnlyList<JsonLogLine> ParseAll(IEnumerable<string> lines)
    {
        var parsed = new List<JsonLogLine>();
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(line);
                root = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"stdout line is not JSON ({ex.Message}): {line}");
            }
            Assert.True(root.ValueKind == JsonValueKind.Object, $"stdout line is not a JSON object: {line}");
            foreach (var required in new[] { "timestamp", "level", "category", "message" })
            {
                Assert.True(root.TryGetProperty(required, out var value) && value.ValueKind == JsonValueKind.String, $"no \"{required}\" string: {line}");
            }
            parsed.Add(new JsonLogLine(line, root));
        }
        return parsed;
    }

    /// <summary>A top-level field: a message template field (statusCode) or a scope field (jobId), camelCased.</summary>
    public JsonElement? Field(string name) => Root.TryGetProperty(name, out var value) ? value : null;

    public string? Phase => Field("phase")?.GetString();

    public bool HasJobContext => JobContextFields.All(f => Field(f) is not null);
}
