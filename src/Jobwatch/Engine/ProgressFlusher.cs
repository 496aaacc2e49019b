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
        await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams(dirty.Select(d => d.Snap.Update).ToArray()), ct).ConfigureAwait(false);
        Interlocked.Increment(ref _writes);
        foreach (var (tracker, snap) in dirty)
        {
            tracker.MarkSaved(snap.Version);
        }
    }
}
