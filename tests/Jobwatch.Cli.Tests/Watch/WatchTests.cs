using Jobwatch.AspNetCore.Auth;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Watch;

/// <summary>
/// <c>jobwatch watch</c> as a person sees it: the built tool in a real pseudo-terminal, its output replayed on a
/// virtual screen and read back after each redraw, while the server goes away and comes back.
/// </summary>
public sealed class WatchTests
{
    private const int Rows = 30, Columns = 140;

    [Fact]
    public async Task Watch_redraws_in_place_shows_the_server_unreachable_and_recovers_when_it_returns()
    {
        await using var server = await LiveServer.StartAsync();
        var first = await server.StartCountingJobAsync(new CountArgs(Total: 200, Succeeded: 97, Failed: 3));
        using var pty = PtySession.StartCli(Rows, Columns, "watch", "--interval", "0.5", "--url", server.Url, "--token", LiveServer.Secret(JobwatchRole.Viewer));

        var screen = await pty.WaitForScreenAsync(s => RowOf(s, first) is { } row && row.Contains("50.0%") && row.Contains("100/200"), $"job {first} at 50%");
        Assert.Contains("jobwatch watch", screen);
        Assert.Contains(server.Url, screen);
        Assert.Contains("counting_sync", RowOf(screen, first));
        Assert.Contains("█", RowOf(screen, first)); // the progress bar
        Assert.DoesNotContain("unreachable", screen, StringComparison.OrdinalIgnoreCase);

        // Refreshes change the clock in the header; the frame is redrawn over itself, never by clearing the screen.
        var header = screen.Split('\n')[0];
        await pty.WaitForScreenAsync(s => s.Split('\n')[0] != header, "a later refresh (the header's clock moves on)");

        await server.StopAsync();
        screen = await pty.WaitForScreenAsync(s => s.Contains("Server unreachable"), "the unreachable banner");
        Assert.Contains("connection refused", screen);
        Assert.Contains("Showing the jobs last seen at", screen);
        Assert.NotNull(RowOf(screen, first)); // the last data stays on screen under the banner

        await server.StartAgainAsync();
        var second = await server.StartCountingJobAsync(new CountArgs(Total: 40, Succeeded: 10, Failed: 0));
        screen = await pty.WaitForScreenAsync(s => !s.Contains("Server unreachable") && RowOf(s, second) is { } row && row.Contains("25.0%"), $"recovery with job {second} at 25%");
        Assert.DoesNotContain("Showing the jobs last seen", screen);
        Assert.Single(screen.Split('\n'), l => l.StartsWith("jobwatch watch", StringComparison.Ordinal)); // one frame, not frames stacked up

        Assert.Equal(1, pty.FullClears);
        await pty.TypeAsync("\u0003"); // Ctrl-C
        Assert.Equal(0, await pty.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var transcript = pty.Transcript;
        Assert.True(transcript.LastIndexOf("\u001b[?25h", StringComparison.Ordinal) > transcript.LastIndexOf("\u001b[H", StringComparison.Ordinal),
            "After the last frame the cursor is shown again."); // it was hidden while redrawing
    }

    /// <summary>The screen row of the job's table line (its id is the first field), or null.</summary>
    private static string? RowOf(string screen, long id) =>
        screen.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(id + "  ", StringComparison.Ordinal));
}
