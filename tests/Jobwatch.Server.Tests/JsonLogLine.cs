using System.Text.Json;

namespace Jobwatch.Server.Tests;

/// <summary>One line of the server's JSON console output (Microsoft.Extensions.Logging's JSON formatter).</summary>
public sealed class JsonLogLine
{
    private JsonLogLine(string text, JsonElement root)
    {
        Text = text;
        Root = root;
    }

    public string Text { get; }
    public JsonElement Root { get; }
    public string Category => Root.GetProperty("Category").GetString() ?? "";
    public string Message => Root.GetProperty("Message").GetString() ?? "";

    /// <summary>Parses every line; a line that is not one JSON object fails the test, naming it.</summary>
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
            parsed.Add(new JsonLogLine(line, root));
        }
        return parsed;
    }

    /// <summary>A message template field ("State"), e.g. Phase or StatusCode.</summary>
    public JsonElement? State(string name) =>
        Root.TryGetProperty("State", out var state) && state.TryGetProperty(name, out var value) ? value : null;

    public string? Phase => State("Phase")?.GetString();

    /// <summary>A field of any logging scope, e.g. JobId from the engine's job scope.</summary>
    public JsonElement? Scope(string name)
    {
        if (!Root.TryGetProperty("Scopes", out var scopes) || scopes.ValueKind != JsonValueKind.Array) return null;
        foreach (var scope in scopes.EnumerateArray())
        {
            if (scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty(name, out var value)) return value;
        }
        return null;
    }

    public bool HasJobScope => new[] { "JobId", "JobName", "JobType", "Queue", "Attempt" }.All(f => Scope(f) is not null);
}
