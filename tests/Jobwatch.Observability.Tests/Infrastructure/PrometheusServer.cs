using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobwatch.Observability.Tests.Infrastructure;

/// <summary>What Prometheus answered to one query.</summary>
public sealed record QueryResult(string Expr, bool Ok, string? Error, JsonElement Data)
{
    public int SeriesCount => Ok && Data.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Array ? r.GetArrayLength() : 0;
    public bool HasData => SeriesCount > 0;
}

/// <summary>
/// A real Prometheus (RECIPES.md) running deploy/prometheus/prometheus.yml's Jobwatch scrape settings and rule files,
/// pointed at a test server: scrape and evaluation every second, the token in a file of its own.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string ScrapeJob = "jobwatch-server";

    private readonly ChildProcess _process;
    private readonly DirectoryInfo _dir;
    private readonly HttpClient _http;

    private PrometheusServer(ChildProcess process, DirectoryInfo dir, Uri address)
    {
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ChildProcess Process => _process;

    public static async Task<PrometheusServer> StartAsync(Uri target, string bearerToken)
    {
        var program = ExternalTool.Prometheus;
        var dir = Directory.CreateTempSubdirectory("jobwatch-prometheus-");
        var tokenFile = Path.Combine(dir.FullName, "jobwatch-viewer-token");
        await File.WriteAllTextAsync(tokenFile, bearerToken + "\n");
        var configFile = Path.Combine(dir.FullName, "prometheus.json.yml");
        await File.WriteAllTextAsync(configFile, (await ConfigAsync(target, tokenFile)).ToJsonString());

        var port = FreePort.Next();
        var process = ChildProcess.Start(program,
        [
            $"--config.file={configFile}", $"--storage.tsdb.path={Path.Combine(dir.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h",
        ], dir.FullName);
        var server = new PrometheusServer(process, dir, new Uri($"http://127.0.0.1:{port}/"));
        await Poll.UntilAsync("ready Prometheus", async () =>
        {
            if (process.HasExited) throw new InvalidOperationException("Prometheus exited: " + process.Describe());
            using var response = await server._http.GetAsync("-/ready");
            return response.IsSuccessStatusCode ? "ready" : null;
        }, TimeSpan.FromSeconds(60), process.Describe);
        return server;
    }

    /// <summary>
    /// The shipped prometheus.yml with what only differs in a test: the intervals, the rule files' absolute paths,
    /// and the server job's target and token file. Written as JSON, which is YAML too.
    /// </summary>
    private static async Task<JsonObject> ConfigAsync(Uri target, string tokenFile)
    {
        var shipped = JsonNode.Parse((await Yaml.LoadAsync(Path.Combine(RepoPaths.Prometheus, "prometheus.yml"))).GetRawText())!.AsObject();
        var global = shipped["global"]!.AsObject();
        global["scrape_interval"] = "1s";
        global["evaluation_interval"] = "1s";
        var rules = new JsonArray();
        foreach (var file in shipped["rule_files"]!.AsArray())
        {
            rules.Add(Path.Combine(RepoPaths.Prometheus, file!.GetValue<string>()));
        }
        shipped["rule_files"] = rules;
        var job = shipped["scrape_configs"]!.AsArray().Single(j => j!["job_name"]!.GetValue<string>() == ScrapeJob)!.DeepClone().AsObject();
        job["authorization"]!["credentials_file"] = tokenFile;
        job["static_configs"]![0]!["targets"] = new JsonArray($"{target.Host}:{target.Port}");
        shipped["scrape_configs"] = new JsonArray(job);
        return shipped;
    }

    public async Task<QueryResult> QueryAsync(string expr)
    {
        using var response = await _http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(expr));
        return await ReadAsync(expr, response);
    }

    /// <summary>A range query as a Grafana time series panel sends it: the last minute, one point every five seconds.</summary>
    public async Task<QueryResult> QueryRangeAsync(string expr)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var query = $"api/v1/query_range?query={Uri.EscapeDataString(expr)}&start={(end - 60).ToString(CultureInfo.InvariantCulture)}&end={end.ToString(CultureInfo.InvariantCulture)}&step=5";
        using var response = await _http.GetAsync(query);
        return await ReadAsync(expr, response);
    }

    /// <summary>Every rule group Prometheus loaded, as /api/v1/rules reports them (with each rule's health and last error).</summary>
    public async Task<JsonElement> RuleGroupsAsync()
    {
        using var response = await _http.GetAsync("api/v1/rules");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/v1/rules answered {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("data").GetProperty("groups").Clone();
    }

    private static async Task<QueryResult> ReadAsync(string expr, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var ok = root.GetProperty("status").GetString() == "success";
        return new QueryResult(expr, ok, ok ? null : root.GetProperty("error").GetString(), ok ? root.GetProperty("data").Clone() : default);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _process.Dispose();
        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The TSDB may still be closing; the temp folder is the OS's to clean.
        }
        return ValueTask.CompletedTask;
    }
}
