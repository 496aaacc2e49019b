using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jobwatch.Api.Tests.Seeds;

/// <summary>
/// Asserts a JSON object's exact field names and their JSON types, written as a compact spec:
/// <c>"id:int, job_name:string, total_items:int?, started_at:ts?"</c>. Kinds: string, int (a number without fraction
/// or exponent), number, bool, object, array, ts (seed 001's <c>2026-02-15T06:00:00Z</c>), tsms (seed 003's
/// <c>2024-01-15T10:30:00.000Z</c>); a trailing <c>?</c> also admits null. The field list must match exactly, in order.
/// </summary>
internal static partial class JsonShape
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex Milliseconds();

    public static void Assert(JsonElement obj, string spec, string where)
    {
        Xunit.Assert.True(obj.ValueKind == JsonValueKind.Object, $"{where}: expected an object, got {obj.ValueKind}: {obj}");
        var fields = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split(':', 2)).ToArray();
        var expected = fields.Select(f => f[0]).ToArray();
        var actual = obj.EnumerateObject().Select(p => p.Name).ToArray();
        Xunit.Assert.True(expected.SequenceEqual(actual),
            $"{where}: fields differ.\n expected: {string.Join(", ", expected)}\n actual:   {string.Join(", ", actual)}");
        foreach (var f in fields)
        {
            var value = obj.GetProperty(f[0]);
            var kind = f[1];
            var nullable = kind.EndsWith('?');
            kind = kind.TrimEnd('?');
            if (value.ValueKind == JsonValueKind.Null)
            {
                Xunit.Assert.True(nullable, $"{where}.{f[0]} is null but should be {kind}.");
                continue;
            }
            Xunit.Assert.True(Is(value, kind), $"{where}.{f[0]} should be {kind} but is {value.ValueKind}: {value.GetRawText()}");
        }
    }

    private static bool Is(JsonElement v, string kind) => kind switch
    {
        "string" => v.ValueKind == JsonValueKind.String,
        "int" => v.ValueKind == JsonValueKind.Number && v.GetRawText().All(c => char.IsDigit(c) || c == '-'),
        "number" => v.ValueKind == JsonValueKind.Number,
        "bool" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => v.ValueKind == JsonValueKind.Object,
        "array" => v.ValueKind == JsonValueKind.Array,
        "ts" => v.ValueKind == JsonValueKind.String && Seconds().IsMatch(v.GetString()!),
        "tsms" => v.ValueKind == JsonValueKind.String && Milliseconds().IsMatch(v.GetString()!),
        _ => throw new ArgumentException($"Unknown kind '{kind}' in a shape spec."),
    };

    /// <summary>GETs <paramref name="path"/> and parses the body, asserting the status code.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Xunit.Assert.True(expected == response.StatusCode, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem naming <paramref name="parameter"/> in its errors.</summary>
    public static async Task AssertInvalidParameterAsync(this HttpClient client, string path, string parameter)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Xunit.Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"GET {path}: expected 400, got {(int)response.StatusCode}: {text}");
        Xunit.Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Xunit.Assert.Equal("https://jobwatch.dev/problems/invalid-parameter", root.GetProperty("type").GetString());
        Xunit.Assert.Contains(parameter, root.GetProperty("detail").GetString());
        Xunit.Assert.True(root.GetProperty("errors").TryGetProperty(parameter, out _), $"GET {path}: errors should name '{parameter}': {text}");
    }
}
