using System.CommandLine;
using System.Globalization;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Contracts.Jobs;

namespace Jobwatch.Cli.Commands;

/// <summary><c>retry --id N</c> sends one failed or cancelled job back to waiting; <c>retry --failed [filters]</c> does so for the dead-letter queue.</summary>
public static class RetryCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var id = CommonOptions.JobId("Retry this failed or cancelled job.");
        var failed = new Option<bool>("--failed") { Description = "Retry failed jobs (the dead-letter queue), narrowed by the filters below." };
        var queue = new Option<string>("--queue") { Description = "With --failed: only jobs of this queue.", HelpName = "name" };
        var job = new Option<string>("--job") { Description = "With --failed: only jobs of this name.", HelpName = "name" };
        var code = CommonOptions.StatusCode("With --failed: only jobs that failed with this status code (e.g. 429).");
        var after = CommonOptions.Time("--failed-after", "With --failed: only jobs that failed at or after this time (ISO 8601, e.g. 2026-02-15T06:00:00Z; UTC unless it has an offset).");
        var before = CommonOptions.Time("--failed-before", "With --failed: only jobs that failed before this time.");
        var limit = CommonOptions.Limit(10_000, 1_000, "jobs to retry at most, with --failed");
        var command = new Command("retry", "Send failed (or cancelled) jobs back to waiting: one by --id, or the dead-letter queue with --failed.")
        {
            id, failed, queue, job, code, after, before, limit,
        };
        Option[] filters = [queue, job, code, after, before, limit];
        command.Validators.Add(result =>
        {
            var hasId = result.GetResult(id) is not null;
            var hasFailed = result.GetValue(failed);
            if (hasId == hasFailed)
            {
                result.AddError("retry needs either --id ID (one job) or --failed (failed jobs, optionally filtered), not both. E.g. jobwatch retry --id 1234, or jobwatch retry --failed --queue emails.");
            }
            else if (hasId && filters.FirstOrDefault(f => result.GetResult(f) is not null) is { } filter)
            {
                result.AddError($"{filter.Name} filters the failed jobs retried with --failed; it does not apply to --id.");
            }
        });
        command.SetServerAction(cli, global, RequiredRole.Operator, async (run, ct) =>
        {
            if (run.Value(id) is { } jobId)
            {
                var retried = await run.Client.RetryJobAsync(jobId, ct);
                if (run.Json)
                {
                    run.WriteServerJson();
                }
                else
                {
                    run.Cli.Out.WriteLine($"Job {retried.Id} ({retried.Name}) is {retried.State} again in queue '{retried.Queue}'.");
                }
                return ExitCodes.Success;
            }
            var response = await run.Client.RetryDeadLettersAsync(new DeadLetterRetryRequest
            {
                Queue = run.Value(queue),
                Name = run.Value(job),
                StatusCode = run.Value(code),
                FailedAfter = run.Value(after),
                FailedBefore = run.Value(before),
                Limit = run.Value(limit),
            }, ct);
            if (run.Json)
            {
                run.WriteServerJson();
            }
            else if (response.Count == 0)
            {
                run.Cli.Out.WriteLine("No failed jobs matched; nothing was retried.");
            }
            else
            {
                var ids = string.Join(", ", response.Ids.Take(50).Select(i => i.ToString(CultureInfo.InvariantCulture)));
                run.Cli.Out.WriteLine($"Retried {response.Count} failed job{(response.Count == 1 ? "" : "s")}: {ids}{(response.Count > 50 ? ", …" : "")}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
