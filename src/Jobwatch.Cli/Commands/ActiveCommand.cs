using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

public static class ActiveCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var command = new Command("active", "Running jobs with progress bars, items, items/s, elapsed time and ETA.");
        command.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var jobs = await run.Client.GetActiveJobsAsync(ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Write(ActiveJobsView.Render(jobs, run.Surface));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
