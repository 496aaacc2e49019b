using Microsoft.Extensions.Logging;

namespace Jobwatch.Engine;

/// <summary>A maintenance loop: runs <see cref="RunOnceAsync"/> every <see cref="Interval"/>, logging and surviving failures (a database restart must not kill it).</summary>
public abstract class PeriodicDuty(TimeProvider time, ILogger logger)
{
    protected TimeProvider Time { get; } = time;
    protected ILogger Logger { get; } = logger;

    public abstract TimeSpan Interval { get; }
    public abstract string DutyName { get; }

    /// <summary>One pass. Return true to run again at once (there was more work than one pass takes).</summary>
    protected abstract Task<bool> RunOnceAsync(CancellationToken ct);

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var more = await RunOnceAsync(ct).ConfigureAwait(false);
                if (failures > 0)
                {
                    Logger.LogInformation("{Duty} recovered after {Failures} failed passes", DutyName, failures);
                    failures = 0;
                }
                if (more)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                // Log the first failure in full and then every tenth, so an outage doesn't flood the log.
                if (failures == 1 || failures % 10 == 0)
                {
                    Logger.LogWarning(ex, "{Duty} failed ({Failures} in a row); retrying", DutyName, failures);
                }
            }
            try
            {
                if (!await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
