using System.Globalization;
using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.Health;
using Jobwatch.Contracts.QueueHealth;

namespace Jobwatch.Cli.Views;

/// <summary>
/// <c>jobwatch metrics health</c> (seed 002's "health check with recommendations"): the server and its storage, every
/// queue's figures against the thresholds, the issues, and what to do about each kind of issue.
/// </summary>
public static class MetricsHealthView
{
    public static IEnumerable<string> Render(HealthResponse server, QueueHealthResponse health, Surface surface)
    {
        var a = surface.Ansi;
        var lines = new List<string>
        {
            a.Paint("System health: " + health.Status.ToUpperInvariant(), Format.StatusStyle(health.Status)) + $"  ({Format.Time(health.Timestamp)} UTC)",
            $"Server: Jobwatch {server.Version}, {a.Paint(server.Status, Format.StatusStyle(server.Status))}",
            $"Storage: {server.Storage.Backend} {a.Paint(health.Storage.ConnectionStatus, health.Storage.ConnectionStatus == "connected" ? Style.Green : Style.Red)}, " +
                $"{health.Storage.ResponseTime.ToString("0.###", CultureInfo.InvariantCulture)} ms" + (health.Storage.Error is null ? "" : " - " + health.Storage.Error),
            "",
        };
        if (health.Queues.Count == 0)
        {
            lines.Add("No queues yet.");
        }
        else
        {
            var table = new TextTable(
                new Column("QUEUE", Flexible: true),
                new Column("STATUS"),
                new Column("WAITING", Align.Right),
                new Column("ACTIVE", Align.Right),
                new Column("FAILED", Align.Right),
                new Column("ERROR RATE", Align.Right),
                new Column("AVG TIME", Align.Right),
                new Column("STALE", Align.Right),
                new Column("OLDEST WAIT", Align.Right),
                new Column("WORKERS"));
            foreach (var q in health.Queues)
            {
                var d = q.Details;
                table.Add(
                    q.QueueName,
                    new Cell(q.Status, Format.StatusStyle(q.Status)),
                    Format.Count(q.Stats.Waiting + q.Stats.Paused),
                    Format.Count(q.Stats.Active),
                    new Cell(Format.Count(q.Stats.Failed), q.Stats.Failed > 0 ? Style.Red : Style.None),
                    Format.Percent(d.ErrorRate),
                    d.AvgProcessingTime is { } ms ? Format.Duration(ms / 1000.0) : Format.None,
                    Format.Count(d.StaleJobs),
                    Format.Duration(d.OldestWaitingSeconds),
                    d.IsPaused ? "paused" : d.ProcessingCapacity is { } c ? $"{c} here" : "none here");
            }
            lines.AddRange(table.Render(a, surface.Width));
        }
        if (health.Issues.Count > 0)
        {
            lines.Add("");
            lines.Add(a.Paint("Issues", Style.Bold));
            lines.AddRange(health.Issues.Select(i => "  - " + i));
        }
        var advice = Recommendations(health).ToList();
        if (advice.Count > 0)
        {
            lines.Add("");
            lines.Add(a.Paint("Recommendations", Style.Bold));
            lines.AddRange(advice.Select(r => "  * " + r));
        }
        return lines;
    }

    /// <summary>What to do, from the figures that made a queue degraded or unhealthy (not from the wording of the issues).</summary>
    public static IEnumerable<string> Recommendations(QueueHealthResponse health)
    {
        if (health.Storage.Status != "healthy")
        {
            yield return "The storage does not answer: check the database the server was started with (its --storage) and the server's log.";
        }
        foreach (var q in health.Queues.Where(q => q.Status != "healthy"))
        {
            var name = q.QueueName;
            if (q.Details.IsPaused)
            {
                yield return $"'{name}' is paused, so none of its jobs run: resume it with 'jobwatch resume {name}'.";
            }
            if (q.Stats.Failed > 0)
            {
                var rate = q.Details.ErrorRate > 0 ? $" ({Format.Percent(q.Details.ErrorRate)} of its finished jobs)" : "";
                yield return $"'{name}' has {q.Stats.Failed} failed job(s){rate}: see why with 'jobwatch failed' and the common causes with 'jobwatch metrics summary', " +
                    $"then retry with 'jobwatch retry --failed --queue {name}' once the cause is fixed.";
            }
            if (q.Details.StaleJobs > 0)
            {
                yield return $"'{name}' has {q.Details.StaleJobs} stale job(s) whose worker stopped reporting: check that its worker processes are alive; the jobs are rescued when their lease runs out.";
            }
            // Seed 002's defaults (a backlog of 10, a wait of 10 minutes); the server's own thresholds may differ, its issues say so.
            var backlogged = q.Stats.Waiting >= 10 || q.Details.OldestWaitingSeconds >= 600;
            if (!q.Details.IsPaused && backlogged && q.Details.ProcessingCapacity is null)
            {
                yield return $"'{name}' has {q.Stats.Waiting} waiting job(s) and no worker in this server serves it: check that a worker process for '{name}' is running.";
            }
            else if (!q.Details.IsPaused && backlogged)
            {
                yield return $"'{name}' has a backlog of {q.Stats.Waiting}: add workers or raise the queue's concurrency if it keeps growing.";
            }
        }
    }
}
