using System.Globalization;
using System.Text.Json;
using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.Jobs;

namespace Jobwatch.Cli.Views;

/// <summary>One job (<c>status --id N</c>): its fields, progress, error with stack, and its timeline, oldest first.</summary>
public static class JobDetailView
{
    /// <summary>Stack lines shown; <c>--json</c> has all of them.</summary>
    public const int StackLines = 15;

    public static IEnumerable<string> Render(JobDetailResponse detail, Surface surface)
    {
        var j = detail.Job;
        var a = surface.Ansi;
        var lines = new List<string>
        {
            a.Paint($"Job {j.Id}  {j.Name}", Style.Bold) + "  " + a.Paint(j.State, Format.StatusStyle(j.State)),
        };
        void Field(string name, string? value, Style style = Style.None)
        {
            if (!string.IsNullOrEmpty(value) && value != Format.None)
            {
                lines.Add($"  {name,-12}{a.Paint(value, style)}");
            }
        }
        Field("Queue", j.Queue);
        Field("Type", j.Type);
        Field("Status code", Format.Code(j.StatusCode, j.StatusLabel), j.StatusCode >= 400 ? Style.Red : Style.None);
        Field("Attempt", $"{j.Attempt} of {j.MaxAttempts}" + (j.StalledCount > 0 ? $" (stalled {j.StalledCount}×)" : ""));
        Field("Kind", j.External ? "external run (reported by another process)" : null);
        Field("Created", Format.Time(j.CreatedAt) + " UTC" + (j.CreatedBy is null ? "" : $" by {j.CreatedBy}"));
        if (j.RunAt > j.CreatedAt.AddSeconds(1))
        {
            Field("Run at", Format.Time(j.RunAt) + " UTC");
        }
        Field("Started", j.StartedAt is null ? null : Format.Time(j.StartedAt) + " UTC" + (j.WorkerId is null ? "" : $" on {j.WorkerId}"));
        Field("Finished", j.FinishedAt is null ? null : Format.Time(j.FinishedAt) + " UTC");
        Field("Updated by", j.UpdatedBy);
        Field("Duration", Format.Duration(j.DurationSeconds ?? j.ElapsedSeconds));
        if (j.TotalItems is not null || j.ItemsProcessed > 0 || j.ProgressPercent is not null)
        {
            var progress = ProgressBar.Render(j.ProgressPercent);
            lines.Add($"  {"Progress",-12}{a.Paint(progress.Text, progress.Style)}");
            Field("Items", $"{Format.Items(j.ItemsProcessed, j.TotalItems)} ({Format.Count(j.ItemsSucceeded)} succeeded, {Format.Count(j.ItemsFailed)} failed)");
            Field("Rate", j.ItemsPerSecond is null ? null : Format.Rate(j.ItemsPerSecond));
            Field("ETA", j.State == "active" ? Format.Duration(j.EtaSeconds) : null);
        }
        Field("Custom", Compact(j.CustomProgress));
        Field("Args", Compact(j.Args));
        Field("Metadata", Compact(j.Metadata));
        Field("Result", Compact(j.Result));
        if (j.LastError is not null)
        {
            lines.Add("");
            lines.Add(a.Paint(j.State == "completed" ? "Error of an earlier attempt" : "Error", Style.Bold));
            lines.Add("  " + a.Paint(j.LastError.ReplaceLineEndings(" "), Style.Red));
            if (detail.LastErrorStack is { } stack)
            {
                var stackLines = stack.ReplaceLineEndings("\n").Split('\n');
                lines.AddRange(stackLines.Take(StackLines).Select(l => "  " + a.Paint(l, Style.Dim)));
                if (stackLines.Length > StackLines)
                {
                    lines.Add($"  … {stackLines.Length - StackLines} more lines (see --json)");
                }
            }
        }
        lines.Add("");
        lines.Add(a.Paint("Timeline", Style.Bold));
        var table = new TextTable(
            new Column("AT (UTC)"),
            new Column("EVENT"),
            new Column("STATE"),
            new Column("ATTEMPT", Align.Right),
            new Column("CODE", Align.Right),
            new Column("WORKER", Flexible: true),
            new Column("MESSAGE", Flexible: true));
        foreach (var e in detail.Timeline)
        {
            table.Add(
                Format.Time(e.At), e.Kind, new Cell(e.State, Format.StatusStyle(e.State)),
                e.Attempt.ToString(CultureInfo.InvariantCulture),
                e.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? Format.None,
                e.WorkerId ?? Format.None,
                Format.Truncate(e.Message, 100));
        }
        lines.AddRange(table.Render(a, surface.Width).Select(l => "  " + l));
        return lines;
    }

    private static string? Compact(JsonElement? json) => json is { } e && e.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
        && !(e.ValueKind == JsonValueKind.Object && !e.EnumerateObject().Any())
        ? Format.Truncate(e.GetRawText(), 200)
        : null;
}
