using System.Text.Json;
using Jobwatch.Cli.Infrastructure;

namespace Jobwatch.Cli.Tests.Infrastructure;

/// <summary>What one run of the CLI printed and exited with.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] Lines => Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    public JsonElement Json()
    {
        try
        {
            using var doc = JsonDocument.Parse(Out);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not JSON ({ex.Message}):\n{this}");
        }
    }

    /// <summary>For assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>
/// Runs the CLI in-process through its real entry point (<see cref="CliApp.RunAsync"/>) with captured output and an
/// environment of the test's choosing: nothing of the test process's own environment leaks in.
/// </summary>
public static class JobwatchCli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(environment, stopWhen: null, args);

    /// <summary>
    /// Runs a command that goes on until interrupted (watch), and interrupts it, as Ctrl-C would, once its output
    /// satisfies <paramref name="stopWhen"/>.
    /// </summary>
    public static Task<CliResult> RunUntilAsync(Func<string, bool> stopWhen, params string[] args) =>
        RunAsync(new Dictionary<string, string>(), stopWhen, args);

    private static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, Func<string, bool>? stopWhen, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // Synchronized: a watch writes on its own thread while the test reads.
        var context = new CliContext
        {
            Out = TextWriter.Synchronized(output),
            Error = TextWriter.Synchronized(error),
            IsTerminal = false,
            Environment = name => environment.GetValueOrDefault(name),
            HandleProcessSignals = false,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = CliApp.RunAsync(args, context, timeout.Token);
        if (stopWhen is not null)
        {
            while (!run.IsCompleted && !stopWhen(Read(context.Out, output)))
            {
                await Task.WhenAny(run, Task.Delay(50));
            }
            timeout.Cancel();
        }
        var code = await run;
        return new CliResult(code, Read(context.Out, output), Read(context.Error, error));
    }

    private static string Read(TextWriter synchronizedWriter, StringWriter inner)
    {
        lock (synchronizedWriter)
        {
            return inner.ToString();
        }
    }

    /// <summary>The CLI against <paramref name="server"/> with <paramref name="role"/>'s token passed as --url and --token.</summary>
    public static Task<CliResult> RunAsync(LiveServer server, Jobwatch.AspNetCore.Auth.JobwatchRole role, params string[] args) =>
        RunAsync([.. args, "--url", server.Url, "--token", LiveServer.Secret(role)]);

    /// <summary>The CLI as a viewer would run it.</summary>
    public static Task<CliResult> RunAsync(LiveServer server, params string[] args) =>
        RunAsync(server, Jobwatch.AspNetCore.Auth.JobwatchRole.Viewer, args);
}
