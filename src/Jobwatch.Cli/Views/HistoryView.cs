using System.Globalization;
using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.Monitoring;

namespace Jobwatch.Cli.Views;

/// <summary>Recent executions, newest first: outcome, status code, when, how long, items, and the error of failed ones.</summary>
public static class HistoryView
{
    public static IEnumerable<string> Render(IReadOnlyList<MonitoringJob> jobs, Surface surface, string? jobName)
    {
        if (jobs.Count == 0)
        {
            return [jobName is null ? "No job has run yet." : $"No runs of '{jobName}' (job names are case-sensitive; see them with 'jobwatch summary')."];
        }
        var table = new TextTable(
            new Column("ID", Align.Right),
            new Column("JOB", Flexible: true, MinWidth: 12),
            new Column("STATUS"),
            new Column("CODE", Flexible: true),
            new Column("STARTED (UTC)"),
            new Column("DURATION", Align.Right),
            new Column("ITEMS", Align.Right),
            new Column("FAILED", Align.Right),
            new Column("ERROR", Flexible: true));
        foreach (var j in jobs)
        {
            table.Add(
                j.Id.ToString(CultureInfo.InvariantCulture),
                j.JobName,
                new Cell(j.Status, Format.StatusStyle(j.Status)),
                Format.Code(j.StatusCode, j.StatusLabel),
                Format.Time(j.StartedAt),
                Format.Duration(j.ElapsedSeconds),
                Format.Items(j.ItemsProcessed, j.TotalItems),
                new Cell(Format.Count(j.ItemsFailed), j.ItemsFailed > 0 ? Style.Red : Style.None),
                new Cell(Format.Truncate(j.ErrorMessage, 80), j.ErrorMessage is null ? Style.None : Style.Red));
        }
        return table.Render(surface.Ansi, surface.Width);
    }
}
