using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Tool;

/// <summary>
/// The real Jobwatch.Server process with its demo workload (long syncs with progress, failing events, an external
/// run), SQLite in a temp folder, a free port, and viewer/operator tokens from JOBWATCH_TOKENS, as it is deployed.
/// </summary>
public sealed partial class DemoServer : IAsyncLifetime
{
    public const string ViewerToken = "demo-viewer-secret-for-cli-tests-0001";
    public const string OperatorToken = "demo-operator-secret-for-cli-tests-0002";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "jobwatch-cli-demo-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var info = new ProcessStartInfo(RepoPaths.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (var arg in (string[])[RepoPaths.ServerDll, "--demo", "--storage", "sqlite:" + Path.Combine(_dir, "jobs.db"), "--log-format", "text"])
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("JOBWATCH_STORAGE");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["JOBWATCH_TOKENS"] = $"viewer:{ViewerToken},operator:{OperatorToken}";
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stdout) _stdout.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            string? line;
            lock (_stdout) line = _stdout.FirstOrDefault(l => l.Contains("Now listening on: ", StringComparison.Ordinal));
            if (line is not null)
            {
                Url = Listening().Match(line).Groups[1].Value.TrimEnd('/') + "/";
                return;
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The demo server did not start listening ({(_process.HasExited ? $"exit {_process.ExitCode}" : "timed out")}).\n{Describe()}");
            }
            await Task.Delay(100);
        }
    }

    public string Describe()
    {
        lock (_stdout) lock (_stderr) return $"stdout (last 20):\n{string.Join('\n', _stdout.TakeLast(20))}\nstderr:\n{_stderr}";
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex Listening();
}
