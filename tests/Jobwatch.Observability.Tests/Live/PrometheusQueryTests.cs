using System.Text.Json;
using Jobwatch.Observability.Tests.Infrastructure;
using Jobwatch.Observability.Tests.Rules;

namespace Jobwatch.Observability.Tests.Live;

/// <summary>A real Prometheus scraping the demo server: the shipped rules and every dashboard query run against real data.</summary>
[Collection(LiveStackCollection.Name)]
public sealed class PrometheusQueryTests(LiveStack stack)
{
    private static readonly TimeSpan DataTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Seed_000_example_queries_return_data()
    {
        var empty = new List<string>();
        foreach (var expr in SeedQueries.All)
        {
            try
            {
                await stack.WaitForDataAsync(expr, DataTimeout);
            }
            catch (TimeoutException)
            {
                empty.Add(expr);
            }
        }
        Assert.True(empty.Count == 0, $"Seed 000 queries without data after {DataTimeout}:\n{string.Join('\n', empty)}\n{stack.Describe()}");
    }

    [Fact]
    public async Task Prometheus_loads_every_shipped_rule_and_evaluates_each_without_error()
    {
        var expected = new List<RuleFiles.Rule>();
        foreach (var file in RepoPaths.RuleFiles)
        {
            expected.AddRange(await RuleFiles.RulesAsync(file));
        }

        // Health is "unknown" until a rule's first evaluation (every second here).
        var groups = await Poll.UntilAsync("every rule evaluated once", async () =>
        {
            var g = await stack.Prometheus.RuleGroupsAsync();
            return Rules(g).All(r => r.GetProperty("health").GetString() != "unknown") ? (object)g : null;
        }, TimeSpan.FromSeconds(60), stack.Describe);
        var loaded = Rules((JsonElement)groups).ToArray();

        Assert.Equal(expected.Count, loaded.Length);
        Assert.Equal(expected.Select(r => r.Alert ?? r.Record).Order(StringComparer.Ordinal), loaded.Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var broken = loaded.Where(r => r.GetProperty("health").GetString() != "ok")
            .Select(r => $"{r.GetProperty("name").GetString()}: {(r.TryGetProperty("lastError", out var e) ? e.GetString() : "")}")
            .ToArray();
        Assert.True(broken.Length == 0, "Rules Prometheus could not evaluate:\n" + string.Join('\n', broken));
    }

    [Fact]
    public async Task Every_rule_expression_evaluates_as_a_query()
    {
        var failures = new List<string>();
        foreach (var file in RepoPaths.RuleFiles)
        {
            foreach (var rule in await RuleFiles.RulesAsync(file))
            {
                var result = await stack.Prometheus.QueryAsync(rule.Expr);
                if (!result.Ok) failures.Add($"{rule.Alert ?? rule.Record}: {result.Error}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Every_dashboard_query_evaluates_without_error_as_grafana_sends_it()
    {
        var failures = new List<string>();
        foreach (var panel in GrafanaDashboard.LoadAll().SelectMany(d => d.Panels))
        {
            foreach (var expr in panel.Exprs.Select(GrafanaDashboard.Interpolate))
            {
                var instant = await stack.Prometheus.QueryAsync(expr);
                if (!instant.Ok) failures.Add($"{panel.Dashboard} '{panel.Title}': {expr}: {instant.Error}");
                if (panel.Type == "timeseries")
                {
                    var range = await stack.Prometheus.QueryRangeAsync(expr);
                    if (!range.Ok) failures.Add($"{panel.Dashboard} '{panel.Title}' (range): {expr}: {range.Error}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Every_dashboard_panel_shows_data_from_the_demo()
    {
        // A panel whose every query comes back empty shows "No data": a wrong metric or label, or a filter
        // that matches nothing. The demo exercises every panel within seconds.
        var panels = GrafanaDashboard.LoadAll().SelectMany(d => d.Panels).ToArray();
        var empty = new List<string>();
        foreach (var panel in panels)
        {
            var exprs = panel.Exprs.Select(GrafanaDashboard.Interpolate).ToArray();
            try
            {
                await Poll.UntilAsync($"data for panel '{panel.Title}'", async () =>
                {
                    foreach (var expr in exprs)
                    {
                        if ((await stack.Prometheus.QueryAsync(expr)).HasData) return expr;
                    }
                    return null;
                }, DataTimeout, stack.Describe, TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                empty.Add($"{panel.Dashboard} '{panel.Title}': {string.Join(" | ", exprs)}");
            }
        }
        Assert.True(empty.Count == 0, $"Panels with no data after {DataTimeout}:\n{string.Join('\n', empty)}");
    }

    [Fact]
    public async Task The_queue_variable_lists_the_demo_queues()
    {
        // label_values(jobwatch_queue_jobs, queue), as Prometheus computes it.
        var result = await stack.WaitForDataAsync("group by (queue) (jobwatch_queue_jobs)", DataTimeout);

        var queues = result.Data.GetProperty("result").EnumerateArray().Select(s => s.GetProperty("metric").GetProperty("queue").GetString()).ToArray();
        Assert.Contains("OSINT_Guilds", queues);
        Assert.Contains("validatorQueue", queues);
    }

    private static IEnumerable<JsonElement> Rules(JsonElement groups) =>
        groups.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray());
}
