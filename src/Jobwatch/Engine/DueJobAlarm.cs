using Jobwatch.Storage;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Engine;

/// <summary>
/// Starts delayed jobs and retries when they fall due, not at the next poll. Without it a job enqueued with a delay,
/// or a retry whose backoff ends, waits for an idle worker's poll (<see cref="DependencyInjection.JobwatchOptions.PollInterval"/>,
/// 1 s) or the leader's promotion round (1 s). This process knows the times it scheduled itself (its client's delayed
/// enqueues, its workers' retries): one timer is armed for the earliest. When it rings, the due jobs are promoted to
/// waiting in storage, which on a multi-node store wakes every node's workers, and this process's workers are woken too.
/// </summary>
/// <remarks>
/// Only a hint on top of polling: times beyond <see cref="MaxPending"/> are not remembered, a failed promotion is
/// logged at debug and left to the poll, and a job scheduled by another process is found by that poll.
/// </remarks>
public sealed class DueJobAlarm(IJobStore store, IJobSignals signals, TimeProvider time, ILogger<DueJobAlarm> logger) : IDisposable
{
    /// <summary>Due times remembered at most; later ones are dropped when full (the poll still finds them).</summary>
    internal const int MaxPending = 10_000;

    private const int PromoteLimit = 10_000;

    /// <summary>Longest a timer is set for (timers refuse more than ~49 days); a job due later re-arms when it rings early.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    /// <summary>
    /// Least time between two rings. A failure storm schedules a retry at every jittered instant; each ring costs the
    /// store a promotion, so rings are spaced (at most 50 a second) and each takes everything due by then.
    /// </summary>
    internal static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly SortedSet<(long Ticks, string Queue)> _pending = new(DueTimeComparer.Instance);
    private readonly SemaphoreSlim _ringing = new(1, 1);
    private ITimer? _timer;
    private long _armedFor = long.MaxValue;
    private long _quietUntil; // no ring before this (UTC ticks)
    private bool _disposed;

    /// <summary>Times remembered and not yet rung, for tests and diagnostics.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Remembers that jobs of <paramref name="queue"/> fall due at <paramref name="runAt"/>.</summary>
    public void Schedule(string queue, DateTimeOffset runAt)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var ticks = runAt.UtcTicks;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            if (_pending.Count >= MaxPending)
            {
                if (ticks >= _pending.Max.Ticks)
                {
                    return;
                }
                _pending.Remove(_pending.Max);
            }
            _pending.Add((ticks, queue));
            if (ticks < _armedFor)
            {
                ArmLocked(ticks);
            }
        }
    }

    private void ArmLocked(long ticks)
    {
        _armedFor = ticks;
        var at = Math.Max(ticks, _quietUntil);
        var due = TimeSpan.FromTicks(Math.Clamp(at - time.GetUtcNow().UtcTicks, 0, LongestWait.Ticks));
        if (_timer is null)
        {
            // Not the first caller's context: its trace would adopt every later promotion as a child span.
            using (ExecutionContext.SuppressFlow())
            {
                _timer = time.CreateTimer(static state => ((DueJobAlarm)state!).Ring(), this, due, Timeout.InfiniteTimeSpan);
            }
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Ring()
    {
        var now = time.GetUtcNow();
        var queues = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            if (now.UtcTicks < _quietUntil)
            {
                // Rang early (timer granularity): wait out the gap.
                _armedFor = long.MaxValue;
                if (_pending.Count > 0)
                {
                    ArmLocked(_pending.Min.Ticks);
                }
                return;
            }
            while (_pending.Count > 0 && _pending.Min.Ticks <= now.UtcTicks)
            {
                var first = _pending.Min;
                queues.Add(first.Queue);
                _pending.Remove(first);
            }
            if (queues.Count > 0)
            {
                _quietUntil = now.UtcTicks + MinimumGap.Ticks;
            }
            _armedFor = long.MaxValue;
            if (_pending.Count > 0)
            {
                ArmLocked(_pending.Min.Ticks);
            }
        }
        if (queues.Count > 0)
        {
            _ = PromoteAndWakeAsync(now, queues);
        }
    }

    private async Task PromoteAndWakeAsync(DateTimeOffset now, HashSet<string> queues)
    {
        // One promotion at a time: jobs due together ring together, and a slow store is not asked twice at once.
        await _ringing.WaitAsync().ConfigureAwait(false);
        try
        {
            await store.JobPromoteDueAsync(new JobPromoteParams(now, PromoteLimit)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Promoting due jobs failed; workers will find them at their next poll");
        }
        finally
        {
            _ringing.Release();
        }
        foreach (var queue in queues)
        {
            signals.NotifyJobsAvailable(queue);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending.Clear();
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>By time, then queue name, so two queues due at the same tick are both kept.</summary>
    private sealed class DueTimeComparer : IComparer<(long Ticks, string Queue)>
    {
        public static readonly DueTimeComparer Instance = new();

        public int Compare((long Ticks, string Queue) x, (long Ticks, string Queue) y)
        {
            var byTime = x.Ticks.CompareTo(y.Ticks);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Queue, y.Queue);
        }
    }
}
