using Jobwatch.Events;

namespace Jobwatch.Storage.Postgres.Notifications;

/// <summary>
/// The relay's bounded queue of events waiting to be sent, in publication order. Progress is coalesced
/// per job: a newer progress event replaces the pending one in its place, so a hot loop that reports
/// 10,000 times a second costs one slot. Lifecycle events (created, completed, failed …) are never
/// coalesced and never dropped, unless the queue holds <see cref="Capacity"/> entries already (the
/// sender has been failing for a long time); then the newest event is dropped and counted.
/// </summary>
internal sealed class EventOutbox(int capacity)
{
    private readonly object _gate = new();
    private readonly Queue<Slot> _queue = new();
    private readonly Dictionary<long, Slot> _pendingProgress = [];
    private long _dropped;

    public int Capacity { get; } = capacity;

    /// <summary>Events refused because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <returns>False when the event was dropped.</returns>
    public bool Add(JobEvent e)
    {
        lock (_gate)
        {
            if (e.Kind == JobEventKind.Progress)
            {
                if (_pendingProgress.TryGetValue(e.JobId, out var pending))
                {
                    pending.Event = e;
                    return true;
                }
                if (!HasRoom())
                {
                    return false;
                }
                var slot = new Slot(e);
                _queue.Enqueue(slot);
                _pendingProgress[e.JobId] = slot;
                return true;
            }
            // Progress reported after this event must queue behind it, not jump ahead into an older slot.
            _pendingProgress.Remove(e.JobId);
            if (!HasRoom())
            {
                return false;
            }
            _queue.Enqueue(new Slot(e));
            return true;
        }
    }

    /// <summary>Removes and returns up to <paramref name="max"/> events, oldest first.</summary>
    public List<JobEvent> Take(int max)
    {
        lock (_gate)
        {
            var events = new List<JobEvent>(Math.Min(max, _queue.Count));
            while (events.Count < max && _queue.TryDequeue(out var slot))
            {
                if (slot.Event.Kind == JobEventKind.Progress
                    && _pendingProgress.TryGetValue(slot.Event.JobId, out var pending) && ReferenceEquals(pending, slot))
                {
                    _pendingProgress.Remove(slot.Event.JobId);
                }
                events.Add(slot.Event);
            }
            return events;
        }
    }

    private bool HasRoom()
    {
        if (_queue.Count < Capacity)
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    private sealed class Slot(JobEvent e)
    {
        public JobEvent Event { get; set; } = e;
    }
}
