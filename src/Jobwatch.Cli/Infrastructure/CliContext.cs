namespace Jobwatch.Cli.Infrastructure;

/// <summary>
/// Everything the CLI takes from its process: where to write, what kind of terminal it writes to, and the
/// environment variables. Tests build one with string writers and their own variables, so the CLI runs in-process
/// exactly as it does in a shell.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    /// <summary>Stdout is a terminal: tables fit its width, colors (unless NO_COLOR) and the in-place watch screen are used.</summary>
    public bool IsTerminal { get; init; }
    /// <summary>Current terminal size; read again on every watch refresh so a resized window is followed.</summary>
    public Func<(int Width, int Height)> TerminalSize { get; init; } = () => (120, 40);
    public Func<string, string?> Environment { get; init; } = _ => null;
    /// <summary>False in tests: Ctrl-C handling belongs to the process, not to a test host.</summary>
    public bool HandleProcessSignals { get; init; }

    public bool UseColor => IsTerminal && string.IsNullOrEmpty(Environment("NO_COLOR")) && Environment("TERM") != "dumb";

    public static CliContext FromProcess()
    {
        if (OperatingSystem.IsWindows())
        {
            Console.OutputEncoding = System.Text.Encoding.UTF8; // progress bars are drawn with block characters
        }
        var stdout = Console.Out;
        return new CliContext
        {
            Out = stdout,
            Error = Console.Error,
            IsTerminal = !Console.IsOutputRedirected,
            TerminalSize = ReadConsoleSize,
            Environment = System.Environment.GetEnvironmentVariable,
            HandleProcessSignals = true,
        };
    }

    private static (int Width, int Height) ReadConsoleSize()
    {
        try
        {
            var (w, h) = (Console.WindowWidth, Console.WindowHeight);
            return (w > 0 ? w : 120, h > 0 ? h : 40);
        }
        catch (IOException)
        {
            return (120, 40);
        }
    }
}
