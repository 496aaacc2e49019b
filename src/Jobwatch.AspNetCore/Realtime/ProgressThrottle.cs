using Jobwatch.Events;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// Paces counter-only progress per job before fan-out: at most one update per job per interval goes to clients, and
/// the one held back is replaced by newer ones (the latest value wins) and sent when the interval is up. A job that
/// reports a thousand items a second then costs each client a few messages a second, not a thousand, while what is
/// sent is never older than the job's own reporting gap plus a timer tick.
/// </summary>
/// <remarks>
/// Only the realtime surface is paced; in-process subscribers of the event bus get every update. Lifecycle events pass
/// at once, preceded by their job's held update (a progress bar reaches its last count before "completed"), so no
/// progress follows a terminal event. A changed custom-progress payload also passes at once: it is a message
/// ("batch 2 of 3"), not a counter.
/// Not thread-safe: the feed calls it under its own lock.
/// </remarks>
internal sealed class ProgressThrottle(TimeSpan interval, TimeProvider time)
{
    private readonly Dictionary<long, JobPace> _jobs = [];
    private readonly long _intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);

    public bool Enabled => _intervalTicks > 0;

    /// <summary>Updates replaced by a newer one while held back.</summary>
    public long Superseded { get; private set; }

    public int Held { get; private set; }

    /// <summary>Adds to <paramref name="send"/> what goes to clients now, in order: nothing when <paramref name="e"/> is held back.</summary>
    public void Admit(JobEvent e, List<JobEvent> send)
    {
        if (!Admit(e, out var heldBefore))
        {
            return;
        }
        if (heldBefore is not null)
        {
            send.Add(heldBefore);
        }
        send.Add(e);
    }

    private bool Admit(JobEvent e, out JobEvent? heldBefore)
    {
        heldBefore = null;
        if (!Enabled)
        {
            return true;
        }
        if (e.Kind != JobEventKind.Progress)
        {
            if (_jobs.Remove(e.JobId, out var ended) && ended.Held is { } held)
            {
                heldBefore = held;
                Held--;
            }
            return true;
        }
        var now = time.GetTimestamp();
        if (!_jobs.TryGetValue(e.JobId, out var pace))
        {
            // Each job gets its own phase in the interval, so jobs started together are not all sent in the same instant
            // (a burst of jobs × clients messages) but spread over the interval.
            _jobs[e.JobId] = new JobPace { LastSent = now - Phase(e.JobId), LastCustom = e.Progress?.CustomProgress };
            return true;
        }
        var custom = e.Progress?.CustomProgress;
        if (now - pace.LastSent >= _intervalTicks || !string.Equals(custom, pace.LastCustom, StringComparison.Ordinal))
        {
            if (pace.Held is not null)
            {
                Superseded++;
                Held--;
                pace.Held = null;
            }
            pace.LastSent = now;
            pace.LastCustom = custom;
            return true;
        }
        if (pace.Held is null)
        {
            Held++;
        }
        else
        {
            Superseded++;
        }
        pace.Held = e;
        return false;
    }

    /// <summary>
    /// Takes the held updates whose interval is up, to be sent now; returns how long until the next one is due (null
    /// when none is held). Also forgets jobs that have been quiet for a while (their end may have been missed).
    /// </summary>
    public TimeSpan? TakeDue(List<JobEvent> due)
    {
        var now = time.GetTimestamp();
        long? next = null;
        List<long>? quiet = null;
        foreach (var (jobId, pace) in _jobs)
        {
            if (pace.Held is { } held)
            {
                var dueAt = pace.LastSent + _intervalTicks;
                if (now >= dueAt)
                {
                    due.Add(held);
                    pace.Held = null;
                    // Keep the job's phase unless the timer was late by a whole interval.
                    pace.LastSent = now - dueAt < _intervalTicks ? dueAt : now;
                    Held--;
                }
                else
                {
                    next = Math.Min(next ?? long.MaxValue, dueAt - now);
                }
            }
            else if (now - pace.LastSent > 100 * _intervalTicks)
            {
                (quiet ??= []).Add(jobId);
            }
        }
        foreach (var jobId in quiet ?? [])
        {
            _jobs.Remove(jobId);
        }
        return next is { } ticks ? TimeSpan.FromSeconds((double)ticks / time.TimestampFrequency) : null;
    }

    /// <summary>A fixed spread of job ids over the interval (Fibonacci hashing: consecutive ids land far apart).</summary>
    private long Phase(long jobId) => (long)((ulong)jobId * 11400714819323198485UL % (ulong)_intervalTicks);

    private sealed class JobPace
    {
        public long LastSent { get; set; }
        public string? LastCustom { get; set; }
        public JobEvent? Held { get; set; }
    }
}
