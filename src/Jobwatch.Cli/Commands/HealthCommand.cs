using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

/// <summary><c>jobwatch health</c>: the graded health, as an exit status cron and scripts can act on (0 healthy, 1 degraded, 2 unhealthy).</summary>
public static class HealthCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var command = new Command("health", "Storage and queue health, graded. Exit status: 0 healthy, 1 degraded, 2 unhealthy.");
        command.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var health = await run.Client.GetQueueHealthAsync(ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Write(HealthView.Render(health, run.Surface));
            }
            return ExitCodeOf(health.Status);
        });
        return command;
    }

    public static int ExitCodeOf(string status) => status switch
    {
        "healthy" => ExitCodes.Success,
        "degraded" => ExitCodes.Degraded,
        "unhealthy" => ExitCodes.Unhealthy,
        _ => throw new CliException(ExitCodes.ServerError, $"The server graded its health '{status}', which this jobwatch does not know (expected healthy, degraded or unhealthy). Is the CLI older than the server?"),
    };
}
