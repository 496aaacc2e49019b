using System.Text.Json;
using System.Text.RegularExpressions;
using Jobwatch.Observability.Tests.Infrastructure;

namespace Jobwatch.Observability.Tests.Dashboards;

/// <summary>The shipped Grafana dashboards: valid JSON, the panels the issue asks for, and queries that only use what they define.</summary>
public sealed partial class DashboardTests
{
    /// <summary>Seed 000's eleven panels, in its order, with the visualisation it describes for each.</summary>
    public static readonly (string Title, string Type)[] SeedPanels =
    [
        ("Jobs by Status Code (Human-Readable)", "timeseries"),
        ("Jobs by Status Code Distribution", "piechart"),
        ("Jobs by CreatedBy Source", "timeseries"),
        ("Jobs by UpdatedBy Source", "timeseries"),
        ("Success Jobs (Last Hour)", "stat"),
        ("Error Jobs (Last Hour)", "stat"),
        ("Rate Limited Jobs (429)", "stat"),
        ("Pending Jobs", "stat"),
        ("Status Code Breakdown by Queue", "table"),
        ("Source Distribution", "table"),
        ("Error Details by Queue", "barchart"),
    ];

    [Fact]
    public void Both_dashboards_are_shipped_with_distinct_uids_and_titles()
    {
        var dashboards = GrafanaDashboard.LoadAll();

        Assert.Equal(["overview.json", "status-codes-sources.json"], dashboards.Select(d => d.File));
        Assert.Equal(dashboards.Count, dashboards.Select(d => d.Uid).Distinct().Count());
        Assert.Equal(dashboards.Count, dashboards.Select(d => d.Root.GetProperty("title").GetString()).Distinct().Count());
        Assert.All(dashboards, d => Assert.Matches("^[a-z0-9-]{1,40}$", d.Uid));
    }

    [Fact]
    public void Status_codes_and_sources_has_seed_000s_eleven_panels_refreshing_every_30_seconds()
    {
        var dashboard = GrafanaDashboard.Load("status-codes-sources.json");

        Assert.Equal(SeedPanels, dashboard.Panels.Select(p => (p.Title, p.Type)).ToArray());
        Assert.Equal("30s", dashboard.Root.GetProperty("refresh").GetString());
        // The panels read the seed's two counters.
        Assert.All(dashboard.Panels.Where(p => p.Title != "Pending Jobs"), p =>
            Assert.Contains(p.Exprs, e => e.Contains("jobwatch_jobs_by_status_code_total", StringComparison.Ordinal) || e.Contains("jobwatch_jobs_by_source_total", StringComparison.Ordinal)));
        Assert.Contains(dashboard.Panels.Single(p => p.Title == "Jobs by CreatedBy Source").Exprs, e => e.Contains("source_type=\"createdBy\"", StringComparison.Ordinal));
        Assert.Contains(dashboard.Panels.Single(p => p.Title == "Jobs by UpdatedBy Source").Exprs, e => e.Contains("source_type=\"updatedBy\"", StringComparison.Ordinal));
        Assert.Contains(dashboard.Panels.Single(p => p.Title == "Rate Limited Jobs (429)").Exprs, e => e.Contains("status_code=\"429\"", StringComparison.Ordinal));
        Assert.Contains(dashboard.Panels.Single(p => p.Title == "Jobs by Status Code Distribution").Exprs, e => e.Contains("[6h]", StringComparison.Ordinal));
    }

    [Fact]
    public void Overview_covers_queues_throughput_errors_durations_wait_dead_letters_workers_and_storage()
    {
        var dashboard = GrafanaDashboard.Load("overview.json");
        var exprs = dashboard.Panels.SelectMany(p => p.Exprs).ToArray();

        Assert.Equal(["Queues", "Throughput", "Errors", "Durations", "Wait time", "Dead-letter queue", "Workers", "Storage"], dashboard.RowTitles);
        foreach (var metric in new[]
                 {
                     "jobwatch_queue_jobs", "jobwatch_queue_oldest_waiting_age_seconds", "jobwatch_jobs_completed_total",
                     "jobwatch_jobs_enqueued_total", "jobwatch_jobs_by_status_code_total", "jobwatch_dead_letter_jobs",
                     "jobwatch_dead_letter_retries_total", "jobwatch_dead_letter_dropped_total", "jobwatch_worker_busy_slots",
                     "jobwatch_worker_concurrency", "jobwatch_worker_buffer_length", "jobwatch_storage_latency_seconds",
                     "jobwatch_storage_operation_duration_seconds_bucket", "jobwatch_storage_up",
                 })
        {
            Assert.Contains(exprs, e => e.Contains(metric, StringComparison.Ordinal));
        }
        foreach (var histogram in new[] { "jobwatch_job_duration_seconds_bucket", "jobwatch_job_wait_seconds_bucket" })
        {
            foreach (var q in new[] { "0.5", "0.95", "0.99" })
            {
                Assert.Contains(exprs, e => e.Contains($"histogram_quantile({q},", StringComparison.Ordinal) && e.Contains(histogram, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Every_panel_queries_prometheus_through_the_datasource_variable_and_uses_only_defined_variables()
    {
        foreach (var dashboard in GrafanaDashboard.LoadAll())
        {
            var defined = dashboard.VariableNames.ToHashSet();
            Assert.Contains("datasource", defined);
            foreach (var panel in dashboard.Panels)
            {
                var where = $"{dashboard.File} panel {panel.Id} '{panel.Title}'";
                Assert.True(panel.Exprs.Count > 0, $"{where} has no query");
                Assert.Equal("${datasource}", panel.Json.GetProperty("datasource").GetProperty("uid").GetString());
                foreach (var target in panel.Json.GetProperty("targets").EnumerateArray())
                {
                    Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
                }
                foreach (var variable in panel.Exprs.SelectMany(e => Variable().Matches(e)).Select(m => m.Groups[1].Value).Where(v => !v.StartsWith("__", StringComparison.Ordinal)))
                {
                    Assert.True(defined.Contains(variable), $"{where} uses ${variable}, which the dashboard does not define");
                }
            }
        }
    }

    [Fact]
    public void Panels_have_unique_ids_and_do_not_overlap_on_the_24_column_grid()
    {
        foreach (var dashboard in GrafanaDashboard.LoadAll())
        {
            var all = dashboard.Root.GetProperty("panels").EnumerateArray().ToArray();
            Assert.Equal(all.Length, all.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
            var boxes = all.Select(p => p.GetProperty("gridPos")).Select(g => (X: g.GetProperty("x").GetInt32(), Y: g.GetProperty("y").GetInt32(), W: g.GetProperty("w").GetInt32(), H: g.GetProperty("h").GetInt32())).ToArray();
            Assert.All(boxes, b => Assert.True(b.X >= 0 && b.W > 0 && b.X + b.W <= 24, $"{dashboard.File}: a panel leaves the grid at {b}"));
            for (var i = 0; i < boxes.Length; i++)
            {
                for (var j = i + 1; j < boxes.Length; j++)
                {
                    var (a, b) = (boxes[i], boxes[j]);
                    var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                    Assert.False(overlap, $"{dashboard.File}: panels {all[i].GetProperty("title")} and {all[j].GetProperty("title")} overlap");
                }
            }
        }
    }

    [Fact]
    public void Queue_variable_comes_from_a_jobwatch_metric_with_an_all_option()
    {
        foreach (var dashboard in GrafanaDashboard.LoadAll())
        {
            var queue = dashboard.Root.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "queue");
            Assert.Matches(@"^label_values\(jobwatch_[a-z_]+, queue\)$", queue.GetProperty("definition").GetString());
            Assert.True(queue.GetProperty("includeAll").GetBoolean());
            Assert.Equal(".*", queue.GetProperty("allValue").GetString());
        }
    }

    [GeneratedRegex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();
}
