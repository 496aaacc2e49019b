using System.Diagnostics;
using System.Text;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Watch;

/// <summary>
/// The built CLI running in a pseudo-terminal (pty_run.py), its output replayed on a <see cref="VirtualTerminal"/>
/// as it arrives. Keys are typed into the terminal, so Ctrl-C reaches the CLI as SIGINT, as from a keyboard.
/// </summary>
public sealed class PtySession : IDisposable
{
    private readonly Process _process;
    private readonly VirtualTerminal _screen;
    private readonly MemoryStream _transcript = new();
    private readonly Task _pump;
    private readonly StringBuilder _stderr = new();

    private PtySession(Process process, int rows, int columns)
    {
        _process = process;
        _screen = new VirtualTerminal(rows, columns);
        _pump = Task.Run(PumpAsync);
    }

    public static PtySession StartCli(int rows, int columns, params string[] args)
    {
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "Watch", "pty_run.py"), rows.ToString(), columns.ToString(), "--", RepoPaths.DotnetHost(), RepoPaths.CliDll, .. args])
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("JOBWATCH_API_URL");
        info.Environment.Remove("JOBWATCH_API_TOKEN");
        info.Environment.Remove("NO_COLOR");
        info.Environment["TERM"] = "xterm-256color";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start python3.");
        var session = new PtySession(process, rows, columns);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (session._stderr) session._stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        return session;
    }

    /// <summary>Everything written to the terminal so far, escape sequences included.</summary>
    public string Transcript
    {
        get { lock (_screen) return Encoding.UTF8.GetString(_transcript.ToArray()); }
    }

    public int FullClears
    {
        get { lock (_screen) return _screen.FullClears; }
    }

    public string Screen()
    {
        lock (_screen) return _screen.Text();
    }

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>; fails with the screen as it was.</summary>
    public async Task<string> WaitForScreenAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(45));
        while (true)
        {
            var screen = Screen();
            if (condition(screen))
            {
                return screen;
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException(
                    $"The screen never showed {what} ({(_process.HasExited ? $"the CLI exited with {_process.ExitCode}" : "timed out")}). Screen:\n{screen}\nstderr:\n{_stderr}");
            }
            await Task.Delay(100);
        }
    }

    public async Task TypeAsync(string keys)
    {
        await _process.StandardInput.WriteAsync(keys);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The CLI did not exit within {timeout}. Processes under the terminal: {ChildProcesses(_process.Id)}. stderr:\n{_stderr}\nScreen:\n{Screen()}");
        }
        await _pump;
        return _process.ExitCode;
    }

    /// <summary>The processes below <paramref name="pid"/> with their state (R, S, Z …), to tell a CLI that ignored Ctrl-C from one that ended.</summary>
    private static string ChildProcesses(int pid)
    {
        try
        {
            var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return children.Length == 0
                ? "none"
                : string.Join(", ", children.Select(c => $"{c} [{File.ReadAllText($"/proc/{c}/stat").Split(' ')[2]}] {File.ReadAllText($"/proc/{c}/cmdline").Replace('\0', ' ').Trim()}; children: {ChildProcesses(int.Parse(c))}"));
        }
        catch (IOException ex)
        {
            return $"unknown ({ex.Message})";
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[8192];
        var stream = _process.StandardOutput.BaseStream;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            lock (_screen)
            {
                _transcript.Write(buffer, 0, read);
                _screen.Feed(buffer.AsSpan(0, read));
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
