using Jobwatch.DependencyInjection;
using Jobwatch.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>
/// Extends the leases of every job this process runs with one statement per pass (not one write per
/// job). A job missing from the answer was cancelled, deleted or rescued elsewhere: its handler is stopped.
/// </summary>
public sealed class LeaseRenewer(
    IJobStore store,
    RunningJobs running,
    WorkerIdentity worker,
    TimeProvider time,
    IOptions<JobwatchOptions> options,
    ILogger<LeaseRenewer> logger) : PeriodicDuty(time, logger)
{
    private readonly TimeSpan _lease = options.Value.LeaseDuration;

    public override TimeSpan Interval => _lease / 3;
    public override string DutyName => "Lease renewal";

    protected override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var owned = running.All.Where(r => !r.Job.IsExternal && r.StopReason == StopReason.None).ToArray();
        if (owned.Length == 0)
        {
            return false;
        }
        var ids = owned.Select(r => r.Job.Id).ToArray();
        var renewed = (await store.JobLeaseRenewManyAsync(new JobLeaseRenewParams(worker.Id, ids, Time.GetUtcNow() + _lease), ct).ConfigureAwait(false)).ToHashSet();
        foreach (var job in owned)
        {
            // Still running and not renewed: someone else owns its state now. A job whose outcome is
            // already being written is no longer active, so it is naturally absent and left alone.
            if (!renewed.Contains(job.Job.Id) && running.TryGet(job.Job.Id, out var current) && ReferenceEquals(current, job) && !job.Tracker.IsFinishing)
            {
                Logger.LogInformation("Job {JobId} is no longer leased to this worker (cancelled, deleted or rescued); stopping its handler", job.Job.Id);
                job.Stop(StopReason.LostLease);
            }
        }
        return false;
    }
}
