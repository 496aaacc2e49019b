using Jobwatch.DependencyInjection;
using Jobwatch.Events;
using Jobwatch.Observability;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>Leader-only: returns jobs whose worker died to waiting (or the dead-letter queue past MaxStalledCount) and marks silent external runs stalled.</summary>
public sealed class StalledJobRescuer(
    IJobStore store,
    LeaderElector leader,
    IJobEventPublisher events,
    IJobSignals signals,
    StatusCodeRegistry codes,
    TimeProvider time,
    IOptions<JobwatchOptions> options,
    JobwatchMetrics metrics,
    ILogger<StalledJobRescuer> logger) : PeriodicDuty(time, logger)
{
    private const int BatchLimit = 1000;
    private readonly JobwatchOptions _options = options.Value;

    public override TimeSpan Interval => _options.RescueInterval;
    public override string DutyName => "Stalled-job rescue";

    protected override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        if (!leader.IsLeader)
        {
            return false;
        }
        var now = Time.GetUtcNow();
        var stalled = codes.Get(JobStatusCodes.Stalled);
        var rescued = await store.JobRescueExpiredAsync(new JobRescueParams(now, _options.MaxStalledCount, stalled.Code, stalled.Label, BatchLimit), ct).ConfigureAwait(false);
        foreach (var (job, outcome) in rescued)
        {
            Logger.LogWarning("Job {JobId} ({JobName}, queue {Queue}) stalled: its lease expired; {Outcome}", job.Id, job.Name, job.Queue,
                outcome switch
                {
                    RescueOutcome.Requeued => "returned to waiting",
                    RescueOutcome.DeadLettered => "moved to the dead-letter queue",
                    _ => "marked failed (its reporter went silent)",
                });
            metrics.Stalled(job, outcome);
            events.Publish(JobEvent.From(job, JobEventKind.Stalled, now));
            if (outcome != RescueOutcome.Requeued)
            {
                events.Publish(JobEvent.From(job, JobEventKind.DeadLettered, now));
            }
            else
            {
                signals.NotifyJobsAvailable(job.Queue);
            }
        }
        return rescued.Count == BatchLimit;
    }
}
