using System.Globalization;
using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.QueueHealth;
using Jobwatch.Contracts.QueueMonitor;

namespace Jobwatch.Cli.Views;

/// <summary>
/// <c>jobwatch metrics summary</c> (seed 002): queue metrics (waiting, active, completed, failed, delayed), job
/// performance (error rate, average run time), and the failure patterns (by status code and by job name).
/// </summary>
public static class MetricsSummaryView
{
    public static IEnumerable<string> Render(QueueMonitorStats stats, QueueHealthResponse health, FailedJobStats failures, Surface surface)
    {
        var a = surface.Ansi;
        var lines = new List<string> { a.Paint("Jobwatch metrics", Style.Bold) + $"  ({Format.Time(stats.Timestamp)} UTC)", "" };
        var perf = health.Queues.ToDictionary(q => q.QueueName, StringComparer.Ordinal);
        var table = new TextTable(
            new Column("QUEUE", Flexible: true),
            new Column("WAITING", Align.Right),
            new Column("ACTIVE", Align.Right),
            new Column("COMPLETED", Align.Right),
            new Column("FAILED", Align.Right),
            new Column("DELAYED", Align.Right),
            new Column("CANCELLED", Align.Right),
            new Column("ERROR RATE", Align.Right),
            new Column("AVG TIME", Align.Right),
            new Column("LAST PROCESSED (UTC)"));
        foreach (var q in stats.Queues)
        {
            var c = q.Counts;
            var p = perf.GetValueOrDefault(q.QueueName);
            table.Add(
                q.QueueName + (q.IsPaused ? " (paused)" : ""),
                Format.Count(c.Waiting), Format.Count(c.Active), Format.Count(c.Completed),
                new Cell(Format.Count(c.Failed), c.Failed > 0 ? Style.Red : Style.None),
                Format.Count(c.Delayed), Format.Count(c.Cancelled),
                Format.Percent(p?.Details.ErrorRate),
                p?.Details.AvgProcessingTime is { } ms ? Format.Duration(ms / 1000.0) : Format.None,
                Format.Time(q.LastJobProcessed));
        }
        var t = stats.Totals;
        var finished = t.Completed + t.Failed;
        table.Add("TOTAL", Format.Count(t.Waiting), Format.Count(t.Active), Format.Count(t.Completed), Format.Count(t.Failed),
            Format.Count(t.Delayed), Format.Count(t.Cancelled), finished == 0 ? Format.None : Format.Percent((double)t.Failed / finished), Format.None, Format.None);
        lines.Add(a.Paint("Queues", Style.Bold));
        lines.AddRange(table.Render(a, surface.Width));

        lines.Add("");
        lines.Add(a.Paint("Failures", Style.Bold));
        var hours = failures.RecentWindowSeconds / 3600;
        var window = failures.RecentWindowSeconds % 3600 != 0 ? Format.Duration(failures.RecentWindowSeconds) : hours == 1 ? "hour" : $"{hours} hours";
        lines.Add($"  {Format.Count(failures.TotalFailedJobs)} failed jobs kept, {Format.Count(failures.RecentFailures)} in the last {window}" +
            (failures.NewestFailureAt is { } newest ? $"; newest {Format.Time(newest)} UTC, oldest {Format.Time(failures.OldestFailureAt)} UTC" : ""));
        if (failures.FailuresByStatusCode.Count > 0)
        {
            var codes = new TextTable(new Column("STATUS CODE", Flexible: true), new Column("FAILED", Align.Right));
            foreach (var c in failures.FailuresByStatusCode)
            {
                codes.Add(Format.Code(c.StatusCode, c.StatusLabel), Format.Count(c.Count));
            }
            lines.Add("");
            lines.AddRange(codes.Render(a, surface.Width).Select(l => "  " + l));
        }
        if (failures.FailuresByJobName.Count > 0)
        {
            var jobs = new TextTable(new Column("JOB", Flexible: true), new Column("FAILED", Align.Right));
            foreach (var (name, count) in failures.FailuresByJobName.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                jobs.Add(name, count.ToString("#,0", CultureInfo.InvariantCulture));
            }
            lines.Add("");
            lines.AddRange(jobs.Render(a, surface.Width).Select(l => "  " + l));
        }
        return lines;
    }
}
