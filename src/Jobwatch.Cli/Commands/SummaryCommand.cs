using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

public static class SummaryCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var command = new Command("summary", "The latest run of every job name: status, duration, progress, next scheduled run.");
        command.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var summary = await run.Client.GetJobSummaryAsync(ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Write(SummaryView.Render(summary, run.Surface));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
