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
        var tracked = new RunningJob(job, new ProgressTracker(job, events, time, timeout));
        running.Add(tracked);
        var run = new JobRun(tracked, writer, codes, time, timeout, r => _held.Release(r));
        _held.Add(run);
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
        return new RunLookup(job.State == JobState.Active ? RunLookupStatus.HeldElsewhere : RunLookupStatus.Ended, id, Job: job);
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
