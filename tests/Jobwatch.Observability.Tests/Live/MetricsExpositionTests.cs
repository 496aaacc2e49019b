using System.Net;
using System.Text.RegularExpressions;
using Jobwatch.Observability.Tests.Infrastructure;
using Jobwatch.Observability.Tests.Rules;

namespace Jobwatch.Observability.Tests.Live;

/// <summary>The live server's /metrics through promtool, and against every metric the shipped rules and dashboards use.</summary>
[Collection(LiveStackCollection.Name)]
public sealed partial class MetricsExpositionTests(LiveStack stack)
{
    [Fact]
    public async Task Promtool_check_metrics_finds_no_problem_in_a_live_scrape()
    {
        // After Prometheus has scraped, so the demo has finished jobs and every family has samples to lint.
        await stack.WaitForDataAsync("jobwatch_jobs_by_status_code_total", TimeSpan.FromSeconds(60));
        var text = await stack.Server.ScrapeAsync();

        var result = await ExternalTool.RunAsync(ExternalTool.Promtool, ["check", "metrics"], stdin: text);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("", (result.Stdout + result.Stderr).Trim());
        Assert.Contains("# TYPE jobwatch_jobs_by_status_code_total counter", text);
    }

    [Fact]
    public async Task Metrics_need_a_viewer_token()
    {
        using var anonymous = stack.Server.CreateClient(withToken: false);

        using var response = await anonymous.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Every_metric_the_rules_and_dashboards_use_is_exported()
    {
        var exprs = GrafanaDashboard.LoadAll().SelectMany(d => d.Panels).SelectMany(p => p.Exprs).ToList();
        foreach (var file in RepoPaths.RuleFiles)
        {
            exprs.AddRange((await RuleFiles.RulesAsync(file)).Select(r => r.Expr));
        }
        var used = exprs.SelectMany(e => MetricName().Matches(e)).Select(m => Family(m.Value)).ToHashSet();

        var exported = TypeLine().Matches(await stack.Server.ScrapeAsync()).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(used);
        var missing = used.Except(exported).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, $"Used by the shipped rules or dashboards but not exported at /metrics: {string.Join(", ", missing)}");
    }

    // A histogram's series carry suffixes its family does not.
    private static string Family(string series) =>
        new[] { "_bucket", "_count", "_sum" }.FirstOrDefault(s => series.EndsWith(s, StringComparison.Ordinal)) is { } suffix
            ? series[..^suffix.Length]
            : series;

    [GeneratedRegex(@"\bjobwatch_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
