using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.Monitoring;

namespace Jobwatch.Cli.Views;

/// <summary>The latest run of every job name (seed 001's <c>summary</c>): status, when, how long, progress, next scheduled run.</summary>
public static class SummaryView
{
    public static IEnumerable<string> Render(IReadOnlyDictionary<string, MonitoringSummaryEntry> summary, Surface surface)
    {
        if (summary.Count == 0)
        {
            return ["No job has run yet."];
        }
        var table = new TextTable(
            new Column("JOB", Flexible: true, MinWidth: 12),
            new Column("STATUS"),
            new Column("LAST RUN (UTC)"),
            new Column("DURATION", Align.Right),
            new Column("PROGRESS", Flexible: true),
            new Column("NEXT RUN (UTC)"));
        foreach (var (name, s) in summary.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            table.Add(
                name,
                new Cell(s.Status, Format.StatusStyle(s.Status)),
                Format.Time(s.LastRun),
                Format.Duration(s.DurationSeconds),
                s.Progress ?? Format.None,
                Format.Time(s.NextScheduled));
        }
        var failed = summary.Values.Count(s => s.Status == "failed");
        var running = summary.Values.Count(s => s.Status == "running");
        var footer = $"{summary.Count} job names: {running} running, {failed} last failed";
        return table.Render(surface.Ansi, surface.Width).Append(failed > 0 ? surface.Ansi.Paint(footer, Style.Red) : footer);
    }
}
