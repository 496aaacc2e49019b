using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Views;

namespace Jobwatch.Cli.Commands;

/// <summary><c>pause QUEUE</c> and <c>resume QUEUE</c>: workers on every node stop or start taking the queue's jobs.</summary>
public static class PauseResumeCommands
{
    public static Command Pause(CliContext cli, GlobalOptions global) => Create(cli, global, pause: true);

    public static Command Resume(CliContext cli, GlobalOptions global) => Create(cli, global, pause: false);

    private static Command Create(CliContext cli, GlobalOptions global, bool pause)
    {
        var queue = new Argument<string>("queue") { Description = "The queue's name (case-sensitive; see 'jobwatch queues')." };
        var command = pause
            ? new Command("pause", "Stop workers on every node from taking this queue's jobs; running jobs finish.") { queue }
            : new Command("resume", "Let workers take this queue's jobs again.") { queue };
        command.SetServerAction(cli, global, RequiredRole.Operator, async (run, ct) =>
        {
            var name = run.Value(queue)!;
            // A queue may be paused before it has jobs, so an unknown name is allowed for pause but noted (it may be a
            // typo); resuming a queue that does not exist can only be one.
            if (await run.Client.GetQueueAsync(name, ct) is null)
            {
                var known = (await run.Client.ListQueuesAsync(ct)).Select(q => q.Name).ToArray();
                var list = known.Length == 0 ? "there are none yet" : "known queues: " + string.Join(", ", known);
                if (!pause)
                {
                    throw new CliException(ExitCodes.NotFound, $"No queue is named '{name}' (names are case-sensitive); {list}.");
                }
                run.Note($"no queue is named '{name}' yet ({list}); pausing it anyway, so its jobs wait once they arrive.");
            }
            var result = pause ? await run.Client.PauseQueueAsync(name, ct) : await run.Client.ResumeQueueAsync(name, ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else
            {
                run.Cli.Out.WriteLine(QueuesView.Describe(result, run.Surface));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
