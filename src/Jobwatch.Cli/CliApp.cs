using System.CommandLine;
using Jobwatch.Cli.Commands;
using Jobwatch.Cli.Infrastructure;

namespace Jobwatch.Cli;

/// <summary>
/// The <c>jobwatch</c> command line. <see cref="RunAsync"/> is the whole program: Program.cs calls it with the
/// process's console and environment, tests with their own writers and variables.
/// </summary>
public static class CliApp
{
    public static RootCommand Build(CliContext cli)
    {
        var global = new GlobalOptions();
        var root = new RootCommand(
            "jobwatch: watch and operate a Jobwatch server from the terminal.\n" +
            $"Server: --url or ${ServerConnection.UrlVariable} (default {ServerConnection.DefaultUrl}); token: --token or ${ServerConnection.TokenVariable}.")
        {
            ActiveCommand.Create(cli, global),
            WatchCommand.Create(cli, global),
            HistoryCommand.Create(cli, global),
            SummaryCommand.Create(cli, global),
            StatusCommand.Create(cli, global),
            FailedCommand.Create(cli, global),
            RetryCommand.Create(cli, global),
            CancelCommand.Create(cli, global),
            QueuesCommand.Create(cli, global),
            PauseResumeCommands.Pause(cli, global),
            PauseResumeCommands.Resume(cli, global),
            HealthCommand.Create(cli, global),
            MetricsCommand.Create(cli, global),
        };
        global.AddTo(root);
        // Bare "jobwatch" shows what it can do, but still fails a script that forgot the command.
        root.SetAction(parse =>
        {
            new System.CommandLine.Help.HelpAction().Invoke(parse);
            return ExitCodes.Usage;
        });
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext cli, CancellationToken ct = default)
    {
        var root = Build(cli);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return UsageError(parse, cli);
        }
        var invocation = new InvocationConfiguration
        {
            Output = cli.Out,
            Error = cli.Error,
            // Exit codes 1 and 2 mean degraded and unhealthy, so a crash must not borrow the library's default of 1.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = cli.HandleProcessSignals ? TimeSpan.FromSeconds(3) : null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, ct);
        }
        catch (Exception ex)
        {
            cli.Error.WriteLine($"jobwatch: internal error, please report it: {ex}");
            return ExitCodes.InternalError;
        }
    }

    private static int UsageError(ParseResult parse, CliContext cli)
    {
        foreach (var error in parse.Errors)
        {
            cli.Error.WriteLine("jobwatch: " + error.Message);
        }
        var path = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, result.Command is RootCommand ? "jobwatch" : result.Command.Name);
        }
        cli.Error.WriteLine($"Run '{string.Join(' ', path)} --help' to see the commands and options.");
        return ExitCodes.Usage;
    }
}
