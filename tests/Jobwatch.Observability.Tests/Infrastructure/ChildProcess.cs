using System.Diagnostics;
using System.Text;

namespace Jobwatch.Observability.Tests.Infrastructure;

/// <summary>A long-running program started by a test: output kept for failure messages, killed (with its children) on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }
    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StdoutLines
    {
        get { lock (_stdout) return _stdout.ToArray(); }
    }

    public static ChildProcess Start(string program, IEnumerable<string> args, string workingDirectory, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, Path.GetFileName(program) + " " + string.Join(' ', info.ArgumentList.Take(3)));
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (child._stdout) child._stdout.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            // Prometheus logs to stderr; keep the tail only, it is for failure messages.
            if (e.Data is not null) lock (child._stderr) { if (child._stderr.Length < 200_000) child._stderr.AppendLine(e.Data); }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public string Describe()
    {
        var lines = StdoutLines;
        string stderr;
        lock (_stderr) stderr = _stderr.ToString();
        var exited = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"{Name} ({exited}); last stdout lines:\n{string.Join('\n', lines.TakeLast(20))}\nstderr (tail):\n{string.Join('\n', stderr.Split('\n').TakeLast(20))}";
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
            // Never started or already reaped.
        }
        _process.Dispose();
    }
}
