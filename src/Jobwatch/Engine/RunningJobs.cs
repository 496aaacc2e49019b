using System.Collections.Concurrent;
using Jobwatch.Model;
using Jobwatch.Progress;

namespace Jobwatch.Engine;

public enum StopReason { None, Timeout, LostLease, Shutdown }

/// <summary>A job this process is executing, or an external run it is tracking, until its outcome is committed.</summary>
public sealed class RunningJob(JobRecord job, ProgressTracker tracker)
{
    private int _stopReason;

    public JobRecord Job { get; } = job;
    public ProgressTracker Tracker { get; } = tracker;
    public CancellationTokenSource Cancellation { get; } = new();
    public StopReason StopReason => (StopReason)Volatile.Read(ref _stopReason);

    /// <summary>Cancels the handler, remembering the first reason (a timeout stays a timeout even if shutdown follows).</summary>
    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
        {
            try { Cancellation.Cancel(); } catch (ObjectDisposedException) { }
        }
    }
}

/// <summary>Everything running in this process, for lease renewal, progress flushing and live monitoring.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<long, RunningJob> _jobs = new();

    public int Count => _jobs.Count;
    public ICollection<RunningJob> All => _jobs.Values;

    public void Add(RunningJob job)
    {
        var id = job.Job.Id;
        RunningJob? replaced;
        // TryAdd first: the usual case (a job not yet here) costs no closure, unlike AddOrUpdate.
        while (true)
        {
            if (_jobs.TryAdd(id, job))
            {
                return;
            }
            if (_jobs.TryGetValue(id, out replaced) && _jobs.TryUpdate(id, job, replaced))
            {
                break;
            }
        }
        // A fresh lease on a job this process still runs proves the old attempt lost its lease
        // (rescued after a long pause): stop it. Outside the update, so its removal can't race it.
        if (!ReferenceEquals(replaced, job))
        {
            replaced.Stop(StopReason.LostLease);
        }
    }
    public bool TryGet(long id, out RunningJob job) => _jobs.TryGetValue(id, out job!);

    public void Remove(RunningJob job)
    {
        _jobs.TryRemove(new KeyValuePair<long, RunningJob>(job.Job.Id, job));
        job.Cancellation.Dispose();
    }
}
