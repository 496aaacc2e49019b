using Jobwatch.DependencyInjection;
using Jobwatch.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>Writes the latest progress of every job whose progress changed since the last pass, in one transaction.</summary>
public sealed class ProgressFlusher(
    IJobStore store,
    RunningJobs running,
    TimeProvider time,
    IOptions<JobwatchOptions> options,
    ILogger<ProgressFlusher> logger) : PeriodicDuty(time, logger)
{
    public override TimeSpan Interval { get; } = options.Value.ProgressFlushInterval;
    public override string DutyName => "Progress flush";

    /// <summary>Batches written so far (for tests and metrics).</summary>
    public long WriteCount => Interlocked.Read(ref _writes);
    private long _writes;

    protected override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        await FlushAsync(ct).ConfigureAwait(false);
        return false;
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var dirty = running.All.Where(r => r.Tracker.IsDirty && !r.Tracker.IsFinishing).Select(r => (r.Tracker, Snap: r.Tracker.Snapshot())).ToArray();
        if (dirty.Length == 0)
        {
            return;
        }
        var saved = await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams(dirty.Select(d => d.Snap.Update).ToArray()), ct).ConfigureAwait(false);
        Interlocked.Increment(ref _writes);
        foreach (var (tracker, snap) in dirty)
        {
            tracker.MarkSaved(snap.Version);
        }
        if (saved.Count < dirty.Length)
        {
            var kept = saved.ToHashSet();
            DropLostRuns(dirty.Select(d => d.Tracker).Where(t => !kept.Contains(t.Job.Id)));
        }
    }

    /// <summary>
    /// An external run whose progress storage refused is no longer this process's: another server adopted it (a report
    /// reached another node, or this one restarted), or it ended. Nothing renews runs' leases, so this is where the old
    /// holder learns it: stopping the run makes the run reporter forget it, and it stops being flushed and shown as live.
    /// (Queued jobs are left to the lease renewer, which stops their handlers.)
    /// </summary>
    private void DropLostRuns(IEnumerable<Progress.ProgressTracker> refused)
    {
        foreach (var tracker in refused)
        {
            // The same tracker that was refused, not a successor registered under the id since (a fresh adoption).
            if (running.TryGet(tracker.Job.Id, out var job) && ReferenceEquals(job.Tracker, tracker) && job.Job.IsExternal && !tracker.IsFinishing)
            {
                job.Stop(StopReason.LostLease);
                running.Remove(job);
            }
        }
    }
}
