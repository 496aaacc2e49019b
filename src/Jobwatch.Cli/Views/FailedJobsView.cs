using System.Globalization;
using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.QueueHealth;

namespace Jobwatch.Cli.Views;

/// <summary>The dead-letter queue, most recent failure first: what failed, with which code and error, after how many attempts.</summary>
public static class FailedJobsView
{
    public static IEnumerable<string> Render(IReadOnlyList<FailedJob> jobs, Surface surface)
    {
        if (jobs.Count == 0)
        {
            return ["No failed jobs."];
        }
        var table = new TextTable(
            new Column("ID", Align.Right),
            new Column("QUEUE", Flexible: true),
            new Column("JOB", Flexible: true, MinWidth: 12),
            new Column("CODE", Flexible: true),
            new Column("FAILED AT (UTC)"),
            new Column("ATTEMPTS", Align.Right),
            new Column("ERROR", Flexible: true, MinWidth: 12));
        foreach (var j in jobs)
        {
            table.Add(
                j.JobId.ToString(CultureInfo.InvariantCulture),
                j.QueueName,
                j.JobName,
                new Cell(Format.Code(j.StatusCode, j.StatusLabel), Style.Red),
                Format.Time(j.FailedAt),
                $"{j.AttemptsMade}/{j.MaxAttempts}",
                Format.Truncate(j.Error, 100));
        }
        return table.Render(surface.Ansi, surface.Width)
            .Append($"{jobs.Count} shown. Retry one with 'jobwatch retry --id ID', all of a queue with 'jobwatch retry --failed --queue NAME'.");
    }
}
