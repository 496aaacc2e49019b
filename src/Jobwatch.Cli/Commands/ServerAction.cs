using System.CommandLine;
using Jobwatch.Cli.Infrastructure;

namespace Jobwatch.Cli.Commands;

/// <summary>
/// Runs a command against the server: opens the connection from --url/--token or the environment, and turns every
/// failure (unreachable, auth, not found, refused, server error) into one message on stderr and its exit code.
/// </summary>
public static class ServerAction
{
    public static void SetServerAction(this Command command, CliContext cli, GlobalOptions global, RequiredRole role,
        Func<CommandRun, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            ServerConnection server;
            try
            {
                server = ServerConnection.Open(parse.GetValue(global.Url), parse.GetValue(global.Token), cli.Environment);
            }
            catch (CliException ex)
            {
                cli.Error.WriteLine("jobwatch: " + ex.Message);
                return ex.ExitCode;
            }
            using (server)
            {
                try
                {
                    return await body(new CommandRun(parse, cli, server, parse.GetValue(global.Json)), ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return ExitCodes.Interrupted;
                }
                catch (Exception ex) when (ErrorTranslator.Translate(ex, server, role) is { } failure)
                {
                    cli.Error.WriteLine("jobwatch: " + failure.Message);
                    return failure.ExitCode;
                }
            }
        });
}
