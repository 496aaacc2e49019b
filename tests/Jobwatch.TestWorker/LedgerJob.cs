using Jobwatch.Handlers;

namespace Jobwatch.TestWorker;

public sealed record LedgerJobArgs(int SleepMs);

/// <summary>Records the execution before doing anything else, then sleeps: the ledger is the ground truth of who ran what.</summary>
public sealed class LedgerJobHandler(Ledger ledger, WorkerArgs options) : IJobHandler<LedgerJobArgs>
{
    public const string Name = "ledger_job";
    private static int s_starts;

    public async Task<JobResult> HandleAsync(LedgerJobArgs args, JobContext context, CancellationToken cancellationToken)
    {
        ledger.Started(context.JobId, context.Attempt);
        if (options.DieAfterStarts is { } limit && Interlocked.Increment(ref s_starts) == limit)
        {
            // SIGKILL: no shutdown, no outcome flush, no lease release; other handlers and the outcome writer are mid-flight.
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
        var sleep = options.SleepOverrideMs ?? args.SleepMs;
        try
        {
            if (sleep > 0)
            {
                await Task.Delay(sleep, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            ledger.Ended(context.JobId, context.Attempt, cancelled: true);
            throw;
        }
        ledger.Ended(context.JobId, context.Attempt, cancelled: false);
        return JobResult.Success();
    }
}
