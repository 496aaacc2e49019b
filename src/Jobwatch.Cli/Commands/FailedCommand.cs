using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

public static class FailedCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var limit = CommonOptions.Limit(100, 20, "failed jobs");
        var command = new Command("failed", "Failed jobs (the dead-letter queue), most recent first, with their errors.") { limit };
        command.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var jobs = await run.Client.GetRecentFailedJobsAsync(run.Value(limit), ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Write(FailedJobsView.Render(jobs, run.Surface));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
