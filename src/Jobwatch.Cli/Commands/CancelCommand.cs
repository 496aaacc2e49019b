using System.CommandLine;
using Jobwatch.Cli.Infrastructure;

namespace Jobwatch.Cli.Commands;

public static class CancelCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var id = CommonOptions.JobId("The waiting, delayed or running job to cancel.");
        var command = new Command("cancel", "Cancel a waiting, delayed or running job (a running one is asked to stop).") { id };
        CommonOptions.RequireId(command, id);
        command.SetServerAction(cli, global, RequiredRole.Operator, async (run, ct) =>
        {
            var job = await run.Client.CancelJobAsync(run.Value(id)!.Value, ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Cli.Out.WriteLine($"Job {job.Id} ({job.Name}) is {job.State}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
