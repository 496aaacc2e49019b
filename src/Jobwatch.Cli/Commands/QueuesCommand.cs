using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

public static class QueuesCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var command = new Command("queues", "Every queue: paused or running, jobs per state, oldest wait, workers.");
        command.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var queues = await run.Client.ListQueuesAsync(ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Write(QueuesView.Render(queues, run.Surface));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
