using System.Diagnostics;

namespace Jobwatch.Cli.Tests.Infrastructure;

/// <summary>Runs a program to completion as a separate process with its own environment, capturing stdout and stderr.</summary>
public static class ToolProcess
{
    /// <summary>The built CLI, <c>dotnet Jobwatch.Cli.dll ARGS</c>, as a shell runs it (stdout redirected, so no terminal).</summary>
    public static Task<CliResult> RunCliAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunAsync(RepoPaths.DotnetHost(), [RepoPaths.CliDll, .. args], environment, TimeSpan.FromSeconds(60));

    public static async Task<CliResult> RunAsync(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // The test's own settings must not choose the server for the CLI.
        info.Environment.Remove("JOBWATCH_API_URL");
        info.Environment.Remove("JOBWATCH_API_TOKEN");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
