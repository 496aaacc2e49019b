using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.Monitoring;

namespace Jobwatch.Cli.Views;

/// <summary>Running jobs with a progress bar, items done of the total, failures, rate, elapsed time and ETA (seed 001's <c>active</c>).</summary>
public static class ActiveJobsView
{
    public const string NoneRunning = "No jobs are running.";

    public static IEnumerable<string> Render(IReadOnlyList<MonitoringJob> jobs, Surface surface)
    {
        if (jobs.Count == 0)
        {
            return [NoneRunning];
        }
        // A narrow terminal gets a shorter bar rather than wrapped lines.
        var barWidth = surface.Width >= 110 ? ProgressBar.DefaultWidth : 10;
        var table = new TextTable(
            new Column("ID", Align.Right),
            new Column("JOB", Flexible: true, MinWidth: 12),
            new Column("QUEUE", Flexible: true),
            new Column("PROGRESS"),
            new Column("ITEMS", Align.Right),
            new Column("FAILED", Align.Right),
            new Column("RATE", Align.Right),
            new Column("ELAPSED", Align.Right),
            new Column("ETA", Align.Right));
        foreach (var j in jobs)
        {
            table.Add(
                j.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                j.JobName,
                j.Queue,
                ProgressBar.Render(j.ProgressPercent, barWidth),
                Format.Items(j.ItemsProcessed, j.TotalItems),
                new Cell(Format.Count(j.ItemsFailed), j.ItemsFailed > 0 ? Style.Red : Style.None),
                Format.Rate(j.ItemsPerSecond),
                Format.Duration(j.ElapsedSeconds),
                Format.Duration(j.EstimatedRemainingSeconds));
        }
        return table.Render(surface.Ansi, surface.Width).Append($"{jobs.Count} running");
    }
}
