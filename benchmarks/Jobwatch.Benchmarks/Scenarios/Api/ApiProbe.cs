using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// Sends the endpoints' requests one at a time over one keep-alive connection, as a dashboard or
/// script does, and times each from send to the last byte of the body. Rounds go through all
/// endpoints in turn, so a burst of load from other processes on a shared machine lands on every
/// endpoint alike rather than on whichever happened to be measured then.
/// </summary>
public sealed class ApiProbe(HttpClient http, long midJobId)
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<double>> _times = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EndpointInfo> _info = new(StringComparer.Ordinal);

    private sealed class EndpointInfo
    {
        public int Status;
        public long Bytes;
        public int? Items;
        public int Errors;
        public string? Missing;
        public bool GradesHealth;
    }

    /// <summary>Calls each endpoint once: resolves second-page cursors and finds the routes that do not exist yet (404).</summary>
    public async Task DiscoverAsync(IEnumerable<ApiEndpoint> endpoints)
    {
        var bodies = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var e in endpoints)
        {
            var info = new EndpointInfo();
            _info[e.Key] = info;
            var path = e.Path.Replace("{mid}", midJobId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (e.PageOf is { } first)
            {
                var cursor = bodies.GetValueOrDefault(first) is { } body ? FindCursor(body) : null;
                if (cursor is null)
                {
                    info.Missing = $"no next cursor in the response of {first}";
                    continue;
                }
                path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "cursor=" + Uri.EscapeDataString(cursor);
            }
            var (status, bytes, _) = await SendAsync(path);
            if (status == (int)HttpStatusCode.NotFound && !e.Path.Contains("{mid}", StringComparison.Ordinal))
            {
                info.Missing = "404: route not mapped yet";
                continue;
            }
            _paths[e.Key] = path;
            _times[e.Key] = [];
            bodies[e.Key] = TryParse(bytes);
            info.GradesHealth = e.GradesHealth;
            Record(info, status, bytes);
            info.Items = bodies[e.Key] is JsonObject o ? o.Select(p => p.Value).OfType<JsonArray>().FirstOrDefault()?.Count : null;
        }
    }

    /// <summary>Runs <paramref name="rounds"/> rounds over every endpoint found; timed only when <paramref name="timed"/>.</summary>
    public async Task RunAsync(int rounds, bool timed)
    {
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (key, path) in _paths)
            {
                var (status, bytes, ms) = await SendAsync(path);
                Record(_info[key], status, bytes);
                if (timed)
                {
                    _times[key].Add(ms);
                }
            }
        }
    }

    /// <summary>Per endpoint: percentiles, last status, non-2xx count, response size and the first list's length (from the first call); missing endpoints say why.</summary>
    public JsonObject ToJson(IEnumerable<ApiEndpoint> endpoints)
    {
        var json = new JsonObject();
        foreach (var e in endpoints)
        {
            var info = _info[e.Key];
            if (info.Missing is not null)
            {
                json[e.Key] = new JsonObject { ["path"] = e.Path, ["missing"] = info.Missing };
                continue;
            }
            var sorted = _times[e.Key].Order().ToList();
            json[e.Key] = new JsonObject
            {
                ["path"] = _paths[e.Key].Length > 160 ? _paths[e.Key][..160] + "…" : _paths[e.Key],
                ["p50_ms"] = Percentile(sorted, 0.50),
                ["p95_ms"] = Percentile(sorted, 0.95),
                ["p99_ms"] = Percentile(sorted, 0.99),
                ["max_ms"] = sorted.Count == 0 ? null : ProcessStats.Round(sorted[^1]),
                ["mean_ms"] = sorted.Count == 0 ? null : ProcessStats.Round(sorted.Average()),
                ["status"] = info.Status,
                ["errors"] = info.Errors,
                ["bytes"] = info.Bytes,
                ["items"] = info.Items,
            };
        }
        return json;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double? Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return ProcessStats.Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)]);
    }

    private async Task<(int Status, byte[] Body, double Ms)> SendAsync(string path)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return ((int)response.StatusCode, body, ms);
    }

    private static void Record(EndpointInfo info, int status, byte[] body)
    {
        info.Status = status;
        info.Bytes = body.Length;
        if (status is < 200 or > 299 && !(info.GradesHealth && status == (int)HttpStatusCode.ServiceUnavailable))
        {
            info.Errors++;
        }
    }

    private static JsonNode? TryParse(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The next-page cursor of a list response, whatever the casing of its name.</summary>
    private static string? FindCursor(JsonNode body)
    {
        if (body is not JsonObject o)
        {
            return null;
        }
        foreach (var (name, value) in o)
        {
            if (name is "next_cursor" or "nextCursor" or "cursor" && value is JsonValue v && v.TryGetValue<string>(out var s))
            {
                return s;
            }
            if (value is JsonObject nested && FindCursor(nested) is { } inner)
            {
                return inner;
            }
        }
        return null;
    }
}
