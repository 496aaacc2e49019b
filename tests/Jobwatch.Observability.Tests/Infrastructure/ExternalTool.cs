using System.Diagnostics;

namespace Jobwatch.Observability.Tests.Infrastructure;

/// <summary>The result of running a program to its end.</summary>
public sealed record ToolResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public string Describe() => $"`{Command}` exited {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Runs promtool, python3 and the like. A missing program fails the test with how to install it: these tests
/// exist to run the real tools, so skipping them would hide exactly what they check.
/// </summary>
public static class ExternalTool
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static string Require(string program, string install)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new Xunit.Sdk.XunitException($"'{program}' is not on PATH. scripts/test.sh installs it ({install}).");
    }

    public static string Promtool => Require("promtool", "apt-get install prometheus");
    public static string Prometheus => Require("prometheus", "apt-get install prometheus");
    public static string Python => Require("python3", "apt-get install python3 python3-yaml");

    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> args, string? stdin = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var command = $"{Path.GetFileName(program)} {string.Join(' ', info.ArgumentList)}";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout ?? DefaultTimeout}.");
        }
        return new ToolResult(command, process.ExitCode, await stdout, await stderr);
    }
}
