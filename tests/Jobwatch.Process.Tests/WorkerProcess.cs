using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Jobwatch.Process.Tests;

/// <summary>One Jobwatch.TestWorker started as <c>dotnet Jobwatch.TestWorker.dll …</c>, with its output captured for failure messages.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(string name, System.Diagnostics.Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    /// <summary>True once the test killed it on purpose, so its exit is not reported as a crash.</summary>
    public bool Killed { get; private set; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static WorkerProcess Start(string name, string workingDirectory, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(LocateWorker());
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        var process = new System.Diagnostics.Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(name, process);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data, isError: true);
        process.Exited += (_, _) => worker._ready.TrySetException(
            new InvalidOperationException($"Worker {name} exited before it was ready. Output:\n{worker.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null) return;
        lock (_output) _output.Append(isError ? "[err] " : "").AppendLine(line);
        if (line == "READY") _ready.TrySetResult();
    }

    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        try
        {
            await _ready.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Worker {Name} (pid {Pid}) did not print READY within {limit}. Output:\n{Output}");
        }
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
            throw new TimeoutException($"{Name} (pid {Pid}) did not exit within {timeout}. Output:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL on Linux: no shutdown hooks, no lease release, no leadership resignation.</summary>
    public void Kill()
    {
        Killed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Waits for a worker told to kill itself (--die-after-starts) and marks its exit as intended.</summary>
    public async Task WaitForSelfKillAsync(TimeSpan timeout)
    {
        Killed = true;
        await WaitForExitAsync(timeout);
    }

    /// <summary>SIGTERM: the generic host stops the engine gracefully (running jobs are released, leadership resigned).</summary>
    public void Terminate()
    {
        Killed = true;
        if (kill(Pid, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({Pid}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public void Dispose()
    {
        try
        {
            Kill();
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

    /// <summary>The worker is built by the ProjectReference with ReferenceOutputAssembly=false, into its own bin folder with the same configuration and framework as this assembly.</summary>
    public static string LocateWorker()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var testsDir = here.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(testsDir, "Jobwatch.TestWorker", "bin", configuration, framework, "Jobwatch.TestWorker.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Jobwatch.TestWorker.dll not found at {path}; build tests/Jobwatch.Process.Tests (it builds the worker).", path);
    }
}
