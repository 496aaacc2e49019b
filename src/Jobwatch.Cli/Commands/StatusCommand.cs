using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

public static class StatusCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var id = CommonOptions.JobId("The job's id (from 'jobwatch history' or 'jobwatch active').");
        var command = new Command("status", "One job in detail: state, progress, error with stack, and its timeline.") { id };
        CommonOptions.RequireId(command, id);
        command.SetServerAction(cli, global, RequiredRole.Viewer, async (run, ct) =>
        {
            var jobId = run.Value(id)!.Value;
            var detail = await run.Client.GetJobAsync(jobId, ct)
                ?? throw new CliException(ExitCodes.NotFound, $"No job has id {jobId} on {run.Server.Url}. Find ids with 'jobwatch history' or 'jobwatch active' (deleted and expired jobs are gone).");
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Write(JobDetailView.Render(detail, run.Surface));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
