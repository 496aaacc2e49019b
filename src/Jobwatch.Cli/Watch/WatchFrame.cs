using System.Globalization;
using Jobwatch.Cli.Rendering;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Watch;

/// <summary>One screenful of <c>watch</c>: a header with the server and time, a banner while the server is unreachable, and the active jobs.</summary>
public static class WatchFrame
{
    public const string UnreachableBanner = "Server unreachable";

    public static IReadOnlyList<string> Build(WatchState state, Uri server, TimeSpan interval, DateTimeOffset now, Surface surface)
    {
        var a = surface.Ansi;
        var every = interval.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + "s";
        var lines = new List<string>
        {
            a.Paint("jobwatch watch", Style.Bold) + $"  {server.AbsoluteUri}  every {every}  {Clock(now)} UTC  (Ctrl-C to quit)",
        };
        if (state.Unreachable)
        {
            lines.Add(a.Paint($"{UnreachableBanner}: {state.UnreachableReason} (since {Clock(state.UnreachableSince!.Value)} UTC, {state.FailedAttempts} failed " +
                $"{(state.FailedAttempts == 1 ? "attempt" : "attempts")}); retrying every {every}.", Style.Red));
            lines.Add(state.Jobs is null
                ? "No data yet."
                : a.Paint($"Showing the jobs last seen at {Clock(state.LastSuccess!.Value)} UTC:", Style.Yellow));
        }
        else
        {
            lines.Add("");
        }
        if (state.Jobs is { } jobs)
        {
            lines.AddRange(ActiveJobsView.Render(jobs, surface));
        }
        return lines;
    }

    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
