using System.Diagnostics;
using System.Text;

namespace Jobwatch.Server.Tests;

/// <summary>One Jobwatch.Server started as <c>dotnet Jobwatch.Server.dll …</c>, with stdout kept line by line and stderr kept for failure messages.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();

    private ServerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public IReadOnlyList<string> StdoutLines
    {
        get { lock (_stdout) return _stdout.ToArray(); }
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Everything the process printed, for assertion messages (the tail of stdout only: the demo is chatty).</summary>
    public string Describe()
    {
        var lines = StdoutLines;
        return $"pid {Pid}, {lines.Count} stdout lines; last 30:\n{string.Join('\n', lines.TakeLast(30))}\nstderr:\n{Stderr}";
    }

    public static ServerProcess Start(string workingDirectory, IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Locate());
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // The test's own environment must not choose the storage or the log levels.
        info.Environment.Remove("JOBWATCH_STORAGE");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment.Remove("JOBWATCH_TOKENS");
        // A free port per server, so tests never collide on 8080 (a test may still pass --urls or its own ASPNETCORE_URLS).
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (server._stdout) server._stdout.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (server._stderr) server._stderr.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The address Kestrel reports once listening (it picks the port when the URL says :0).</summary>
    public async Task<Uri> WaitForListeningAsync(TimeSpan timeout)
    {
        var line = await WaitForAsync("Kestrel's 'Now listening on' line", lines => lines.FirstOrDefault(l => l.Contains("Now listening on: ", StringComparison.Ordinal)), timeout);
        var match = System.Text.RegularExpressions.Regex.Match(line, @"Now listening on: (http://[^\s""]+)");
        return new Uri(match.Groups[1].Value.TrimEnd('/') + "/");
    }

    /// <summary>Polls stdout until <paramref name="match"/> returns a value, or fails with what the server printed.</summary>
    public async Task<T> WaitForAsync<T>(string what, Func<IReadOnlyList<string>, T?> match, TimeSpan timeout) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (match(StdoutLines) is { } found) return found;
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new Xunit.Sdk.XunitException($"The server exited with code {_process.ExitCode} before {what}. {Describe()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {what} within {timeout}. {Describe()}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>SIGTERM, as a service manager or <c>docker stop</c> sends it (Process.Kill is SIGKILL).</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start 'kill'.");
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -TERM {Pid} exited with {kill.ExitCode}");
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
            throw new TimeoutException($"The server did not exit within {timeout}. {Describe()}");
        }
        return _process.ExitCode;
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

    private static string DotnetHost()
    {
        // The SDK sets DOTNET_HOST_PATH for the test host; under `dotnet test` the host itself is dotnet.
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>
    /// The server is built by the ProjectReference with ReferenceOutputAssembly=false into its own bin folder, with the
    /// same configuration and framework as this assembly (tests/Jobwatch.Server.Tests/bin/C/F → src/Jobwatch.Server/bin/C/F).
    /// </summary>
    public static string Locate()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var repo = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repo, "src", "Jobwatch.Server", "bin", configuration, framework, "Jobwatch.Server.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Jobwatch.Server.dll not found at {path}; build tests/Jobwatch.Server.Tests (it builds the server).", path);
    }
}
