using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

public static class HistoryCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var job = new Option<string>("--job") { Description = "Only runs of this job name (e.g. high_priority_tick_sync).", HelpName = "name" };
        var limit = CommonOptions.Limit(100, 20, "runs");
        var command = new Command("history", "Recent job executions, newest first.") { job, limit };
        command.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var name = run.Value(job);
            var jobs = await run.Client.GetJobHistoryAsync(name, run.Value(limit), ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Write(HistoryView.Render(jobs, run.Surface, name));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
