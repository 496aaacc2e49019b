using System.Text.Json;

namespace Jobwatch.Observability.Tests.Infrastructure;

/// <summary>A panel of a shipped dashboard and the PromQL of its targets.</summary>
public sealed record DashboardPanel(string Dashboard, int Id, string Type, string Title, IReadOnlyList<string> Exprs, JsonElement Json);

/// <summary>A Grafana dashboard JSON from deploy/grafana/dashboards.</summary>
public sealed class GrafanaDashboard
{
    private GrafanaDashboard(string file, JsonElement root)
    {
        File = file;
        Root = root;
    }

    public string File { get; }
    public JsonElement Root { get; }
    public string Uid => Root.GetProperty("uid").GetString()!;

    public static IReadOnlyList<string> Files() =>
        Directory.GetFiles(RepoPaths.Dashboards, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Parses the file; fails the test naming it when it is not JSON.</summary>
    public static GrafanaDashboard Load(string fileName)
    {
        var text = System.IO.File.ReadAllText(Path.Combine(RepoPaths.Dashboards, fileName));
        try
        {
            using var doc = JsonDocument.Parse(text);
            return new GrafanaDashboard(fileName, doc.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"{fileName} is not valid JSON: {ex.Message}");
        }
    }

    public static IReadOnlyList<GrafanaDashboard> LoadAll() => Files().Select(Load).ToArray();

    /// <summary>Every panel except rows, including those nested in collapsed rows.</summary>
    public IReadOnlyList<DashboardPanel> Panels
    {
        get
        {
            var panels = new List<DashboardPanel>();
            foreach (var p in Root.GetProperty("panels").EnumerateArray())
            {
                if (p.GetProperty("type").GetString() == "row")
                {
                    panels.AddRange(p.TryGetProperty("panels", out var nested) ? nested.EnumerateArray().Select(Panel) : []);
                    continue;
                }
                panels.Add(Panel(p));
            }
            return panels;
        }
    }

    public IReadOnlyList<string> RowTitles =>
        Root.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() == "row").Select(p => p.GetProperty("title").GetString()!).ToArray();

    public IReadOnlyList<string> VariableNames =>
        Root.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("name").GetString()!).ToArray();

    private DashboardPanel Panel(JsonElement p) => new(
        File,
        p.GetProperty("id").GetInt32(),
        p.GetProperty("type").GetString()!,
        p.GetProperty("title").GetString()!,
        p.TryGetProperty("targets", out var targets) ? targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString()!).ToArray() : [],
        p);

    /// <summary>
    /// An expression as Grafana sends it with every queue selected: the variables and the interval macros
    /// replaced by what Grafana would put there (the All value ".*", a range long enough for a rate).
    /// </summary>
    public static string Interpolate(string expr) => expr
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$__range", "1h", StringComparison.Ordinal)
        .Replace("$queue", ".*", StringComparison.Ordinal);
}
