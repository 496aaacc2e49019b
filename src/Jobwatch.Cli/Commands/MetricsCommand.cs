using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

/// <summary>
/// Seed 002's <c>metrics summary|prometheus|health</c>; plain <c>metrics</c> is the summary, as the seed's
/// "general metrics (defaults to summary)". Commands that combine endpoints print, with --json, one object holding
/// each endpoint's JSON unchanged under a name.
/// </summary>
public static class MetricsCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var summary = new Command("summary", "Queue metrics (waiting, active, completed, failed, delayed), error rates, run times, failures by status code and job.");
        summary.SetServerAction(cli, global, RequiredRole.Viewer, SummaryAsync);

        var prometheus = new Command("prometheus", "The server's Prometheus metrics (GET /metrics), as text: redirect to a file or pipe to promtool.");
        prometheus.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var text = await run.Client.GetPrometheusMetricsAsync(ct);
            run.Cli.Out.Write(text);
            if (text.Length > 0 && !text.EndsWith('\n'))
            {
                run.Cli.Out.WriteLine();
            }
            return ExitCodes.Success;
        });

        var health = new Command("health", "Health check with figures per queue, issues and recommendations. Exit status: 0 healthy, 1 degraded, 2 unhealthy.");
        health.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var server = await run.Client.GetHealthAsync(ct);
            var serverJson = run.Server.LastJson;
            var queues = await run.Client.GetQueueHealthAsync(ct);
            if (run.Json)
            {
                run.Cli.Out.WriteLine($"{{\"server\":{serverJson},\"queues\":{run.Server.LastJson}}}");
            }
            else
            {
                run.Write(MetricsHealthView.Render(server, queues, run.Surface));
            }
            return HealthCommand.ExitCodeOf(queues.Status);
        });

        var metrics = new Command("metrics", "Metrics and health commands (seed 002). Without a subcommand: summary.") { summary, prometheus, health };
        metrics.SetServerAction(cli, global, RequiredRole.Viewer, SummaryAsync);
        return metrics;
    }

    private static async Task<int> SummaryAsync(CommandRun run, CancellationToken ct)
    {
        var stats = await run.Client.GetQueueMonitorStatsAsync(ct);
        var statsJson = run.Server.LastJson;
        var health = await run.Client.GetQueueHealthAsync(ct);
        var healthJson = run.Server.LastJson;
        var failures = await run.Client.GetFailedJobStatsAsync(ct);
        if (run.Json)
        {
            run.Cli.Out.WriteLine($"{{\"stats\":{statsJson},\"health\":{healthJson},\"failures\":{run.Server.LastJson}}}");
        }
        else
        {
            run.Write(MetricsSummaryView.Render(stats, health, failures, run.Surface));
        }
        return ExitCodes.Success;
    }
}
