using System.Text;
using Jobwatch.Cli.Rendering;

namespace Jobwatch.Cli.Watch;

/// <summary>
/// Redraws in place without flicker: the screen is cleared once, then every frame moves the cursor home, overwrites
/// each line and clears what is left of it (ESC[K), and clears below the last line (ESC[J), all in one write. No
/// frame ever shows a blank screen. Lines are cut to the terminal's width and the frame to its height, so nothing
/// wraps or scrolls and home stays home.
/// </summary>
public sealed class TerminalScreen(TextWriter output, Func<(int Width, int Height)> size) : IWatchScreen
{
    public const string Home = "\u001b[H";
    public const string ClearScreen = "\u001b[2J";
    public const string ClearToEndOfLine = "\u001b[K";
    public const string ClearBelow = "\u001b[J";
    public const string HideCursor = "\u001b[?25l";
    public const string ShowCursor = "\u001b[?25h";

    private bool _started;

    public void Draw(IReadOnlyList<string> lines)
    {
        var (width, height) = size();
        var sb = new StringBuilder();
        if (!_started)
        {
            sb.Append(HideCursor).Append(Home).Append(ClearScreen);
            _started = true;
        }
        sb.Append(Home);
        // The last row stays empty: writing a newline there would scroll the frame up by one.
        var rows = Math.Max(1, height - 1);
        var shown = lines.Count <= rows ? lines : [.. lines.Take(rows - 1), $"… {lines.Count - rows + 1} more lines: enlarge the terminal"];
        foreach (var line in shown)
        {
            // One column spare: a line filling the last column leaves some terminals in a pending wrap.
            sb.Append(Ansi.Truncate(line, Math.Max(1, width - 1))).Append(ClearToEndOfLine).Append('\n');
        }
        sb.Append(ClearBelow);
        output.Write(sb.ToString());
        output.Flush();
    }

    public void End()
    {
        if (_started)
        {
            output.Write("\u001b[0m" + ShowCursor);
            output.Flush();
        }
    }
}
