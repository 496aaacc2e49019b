using Jobwatch.DependencyInjection;
using Jobwatch.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>
/// Leader-only: moves delayed jobs whose time has come to waiting, so queue stats are exact, every
/// <see cref="JobwatchOptions.PromoteInterval"/>. Workers do not depend on it: their fetch takes due delayed jobs
/// directly, and <see cref="DueJobAlarm"/> promotes a process's own delayed jobs the moment they fall due.
/// </summary>
public sealed class DueJobPromoter(IJobStore store, LeaderElector leader, TimeProvider time, IOptions<JobwatchOptions> options, ILogger<DueJobPromoter> logger)
    : PeriodicDuty(time, logger)
{
    private const int BatchLimit = 10_000;

    public override TimeSpan Interval => options.Value.PromoteInterval;
    public override string DutyName => "Due-job promotion";

    protected override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        if (!leader.IsLeader)
        {
            return false;
        }
        var moved = await store.JobPromoteDueAsync(new JobPromoteParams(Time.GetUtcNow(), BatchLimit), ct).ConfigureAwait(false);
        return moved == BatchLimit;
    }
}
