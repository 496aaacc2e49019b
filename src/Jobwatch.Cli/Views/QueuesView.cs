using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.Queues;

namespace Jobwatch.Cli.Views;

/// <summary>Every queue: paused or not, jobs per state, how long the oldest due job has waited, and this server's workers.</summary>
public static class QueuesView
{
    public static IEnumerable<string> Render(IReadOnlyList<QueueDto> queues, Surface surface)
    {
        if (queues.Count == 0)
        {
            return ["No queues yet: a queue appears once it has jobs or workers, or is paused."];
        }
        var table = new TextTable(
            new Column("QUEUE", Flexible: true),
            new Column("STATE"),
            new Column("WAITING", Align.Right),
            new Column("DELAYED", Align.Right),
            new Column("ACTIVE", Align.Right),
            new Column("COMPLETED", Align.Right),
            new Column("FAILED", Align.Right),
            new Column("CANCELLED", Align.Right),
            new Column("OLDEST WAIT", Align.Right),
            new Column("WORKERS", Align.Right));
        foreach (var q in queues)
        {
            var c = q.Counts;
            table.Add(
                q.Name,
                q.Paused ? new Cell("paused", Style.Yellow) : new Cell("running", Style.Green),
                Format.Count(c.Waiting),
                Format.Count(c.Delayed),
                Format.Count(c.Active),
                Format.Count(c.Completed),
                new Cell(Format.Count(c.Failed), c.Failed > 0 ? Style.Red : Style.None),
                Format.Count(c.Cancelled),
                Format.Duration(q.OldestWaitingSeconds),
                q.Concurrency is { } n ? $"{q.Busy ?? 0}/{n} busy" : Format.None);
        }
        return table.Render(surface.Ansi, surface.Width);
    }

    /// <summary>One queue after pause or resume.</summary>
    public static string Describe(QueueDto q, Surface surface)
    {
        var c = q.Counts;
        var state = q.Paused ? surface.Ansi.Paint("paused", Style.Yellow) : surface.Ansi.Paint("running", Style.Green);
        return $"Queue '{q.Name}' is {state}: {c.Waiting} waiting, {c.Delayed} delayed, {c.Active} active.";
    }
}
