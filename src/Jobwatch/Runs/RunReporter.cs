using System.Diagnostics;
using Jobwatch.DependencyInjection;
using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Observability;
using Jobwatch.Progress;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;
using Microsoft.Extensions.Options;

namespace Jobwatch.Runs;

public sealed class RunReporter(
    IJobStore store,
    RunningJobs running,
    OutcomeWriter writer,
    IJobEventPublisher events,
    StatusCodeRegistry codes,
    WorkerIdentity worker,
    TimeProvider time,
    IOptions<JobwatchOptions> options,
    JobwatchMetrics metrics) : IRunReporter
{
    /// <summary>How often held runs whose lease ran out are checked against storage (and dropped once they have ended).</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    private const int SweepBatch = 100;

    private readonly RunRegistry _held = new();
    private readonly SemaphoreSlim _sweeping = new(1, 1);
    private readonly SemaphoreSlim _adopting = new(1, 1);
    private long _nextSweepTicks;

    /// <summary>Runs this process holds right now (for tests and diagnostics).</summary>
    public int HeldCount => _held.Count;

    public async Task<JobRun> StartAsync(RunOptions o, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        var timeout = o.HeartbeatTimeout ?? options.Value.RunHeartbeatTimeout;
        RunOptionsValidator.Validate(o, timeout);
        await SweepIfDueAsync(ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var job = await store.RunStartAsync(new RunStartParams
        {
            Queue = o.Queue,
            Name = o.Name,
            Type = o.Type ?? o.Name,
            TotalItems = o.TotalItems,
            Metadata = o.Metadata is null ? null : o.Metadata as string ?? System.Text.Json.JsonSerializer.Serialize(o.Metadata, Handlers.JobJson.Options),
            CreatedBy = o.CreatedBy,
            OwnerId = $"{worker.Id}:run",
            Now = now,
            LeaseUntil = now + timeout,
            TraceParent = Activity.Current?.Id,
        }, ct).ConfigureAwait(false);
        metrics.RunStarted(job);
        var run = Hold(job, timeout);
        events.Publish(JobEvent.From(job, JobEventKind.Created, now));
        events.Publish(JobEvent.From(job, JobEventKind.Started, now));
        return run;
    }

    public async Task<RunLookup> FindAsync(long id, CancellationToken ct = default)
    {
        await SweepIfDueAsync(ct).ConfigureAwait(false);
        // Storage is asked every time, even for a held run: an operator may have cancelled or deleted it, or the
        // rescuer marked it stalled, and the reporter must hear so rather than have its reports silently dropped.
        var job = await store.JobGetAsync(id, ct).ConfigureAwait(false);
        if (_held.TryGet(id, out var run))
        {
            if (job is not null && IsHeldBy(job, run))
            {
                return new RunLookup(RunLookupStatus.Held, id, run, job);
            }
            Drop(run);
        }
        if (job is null)
        {
            return new RunLookup(RunLookupStatus.NotFound, id);
        }
        if (!job.IsExternal)
        {
            return new RunLookup(RunLookupStatus.NotARun, id, Job: job);
        }
        if (job.State != JobState.Active)
        {
            return new RunLookup(RunLookupStatus.Ended, id, Job: job);
        }
        return await AdoptAsync(job, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes over an active run another owner holds (another node behind the load balancer, or this server before a
    /// restart), so its reporter's request is accepted here. The store's guard makes it atomic: when two servers adopt
    /// at once, one wins and the other re-reads. The old holder, if still alive, is fenced out: its flushes and its
    /// outcome no longer match the owner, and it drops the run when it notices (see <see cref="Engine.ProgressFlusher"/>).
    /// Counts the old holder received but had not flushed yet (at most one flush interval's worth) are lost.
    /// </summary>
    private async Task<RunLookup> AdoptAsync(JobRecord seen, CancellationToken ct)
    {
        // One adoption at a time in this process (they are rare: once per change of node), so two requests racing here
        // for the same run do not take it from each other: the second finds the first one's run held below.
        await _adopting.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (var tries = 0; tries < MaxAdoptTries; tries++)
            {
                if (_held.TryGet(seen.Id, out var mine) && IsHeldBy(seen, mine))
                {
                    return new RunLookup(RunLookupStatus.Held, seen.Id, mine, seen);
                }
                var now = time.GetUtcNow();
                var timeout = HeartbeatTimeoutOf(seen);
                var adopted = await store.RunAdoptAsync(new RunAdoptParams
                {
                    Id = seen.Id,
                    ExpectedWorkerId = seen.WorkerId ?? "",
                    ExpectedAttempt = seen.Attempt,
                    // Unique per adoption: an owner id is never reused, so a holder this run was taken from can never match again.
                    NewOwnerId = $"{worker.Id}:run:{Guid.NewGuid():N}",
                    Now = now,
                    LeaseUntil = now + timeout,
                }, ct).ConfigureAwait(false);
                if (adopted is not null)
                {
                    return new RunLookup(RunLookupStatus.Held, adopted.Id, Hold(adopted, timeout), adopted);
                }
                // Lost a race: another server adopted it (or this one did, just before), its owner finished it,
                // or an operator cancelled or deleted it. Answer from what storage says now.
                var again = await store.JobGetAsync(seen.Id, ct).ConfigureAwait(false);
                if (again is null)
                {
                    return new RunLookup(RunLookupStatus.NotFound, seen.Id);
                }
                if (again.State != JobState.Active)
                {
                    return new RunLookup(RunLookupStatus.Ended, seen.Id, Job: again);
                }
                seen = again;
            }
        }
        finally
        {
            _adopting.Release();
        }
        // Still changing hands after several tries: servers are fighting over it; the reporter may retry.
        return new RunLookup(RunLookupStatus.HeldElsewhere, seen.Id, Job: seen);
    }

    private const int MaxAdoptTries = 3;

    /// <summary>
    /// The run's own heartbeat timeout, which is not stored as such: every report (and adoption) sets the lease to the
    /// report's time plus the timeout, so it is their difference. The configured default when that is not usable.
    /// </summary>
    private TimeSpan HeartbeatTimeoutOf(JobRecord job) =>
        job.LeaseUntil is { } lease && (job.ProgressAt ?? job.StartedAt) is { } reported && lease > reported
            ? lease - reported
            : options.Value.RunHeartbeatTimeout;

    /// <summary>Tracks a run this process now owns: progress is flushed by the engine, and reports find it by id.</summary>
    private JobRun Hold(JobRecord job, TimeSpan timeout)
    {
        var tracked = new RunningJob(job, new ProgressTracker(job, events, time, timeout));
        var run = new JobRun(tracked, writer, codes, time, timeout, r => _held.Release(r));
        _held.Add(run);
        running.Add(tracked);
        // Stopped when storage refuses its flush (another server adopted it, or it ended): forget it here too.
        tracked.Cancellation.Token.Register(static state => { var (held, r) = ((RunRegistry, JobRun))state!; held.Release(r); }, (_held, run));
        return run;
    }

    private static bool IsHeldBy(JobRecord stored, JobRun run) =>
        stored.State == JobState.Active
        && string.Equals(stored.WorkerId, run.Job.WorkerId, StringComparison.Ordinal)
        && stored.Attempt == run.Job.Attempt;

    /// <summary>Forgets a run that ended behind its holder's back, so it stops being flushed and is not kept forever.</summary>
    private void Drop(JobRun run)
    {
        if (_held.Release(run) && !run.IsFinished)
        {
            running.Remove(run.Running);
        }
    }

    /// <summary>
    /// A run whose reporter vanished is marked stalled by the (leader's) rescuer, but its <see cref="JobRun"/> would stay
    /// here forever: now and then, held runs past their lease are checked and dropped once storage says they ended.
    /// </summary>
    private async Task SweepIfDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _nextSweepTicks) || !_sweeping.Wait(0))
        {
            return;
        }
        try
        {
            Interlocked.Exchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks);
            foreach (var run in _held.Expired(now, SweepBatch))
            {
                var job = await store.JobGetAsync(run.Id, ct).ConfigureAwait(false);
                if (job is null || !IsHeldBy(job, run))
                {
                    Drop(run);
                }
            }
        }
        finally
        {
            _sweeping.Release();
        }
    }
}
