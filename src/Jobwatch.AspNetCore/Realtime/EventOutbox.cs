using Jobwatch.Events;
using Jobwatch.Monitoring;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>A job's state read on subscribing, queued in the client's stream so it is sent before any later event of that job.</summary>
internal sealed class SnapshotSlot(long jobId)
{
    private readonly TaskCompletionSource<JobDetail?> _detail = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long JobId { get; } = jobId;
    public Task<JobDetail?> Detail => _detail.Task;
    /// <summary>Null when the job was not found or the read failed: nothing is sent.</summary>
    public void Fill(JobDetail? detail) => _detail.TrySetResult(detail);
}

/// <summary>One entry of a client's queue: a live (or replayed) event, or a snapshot to send in its place in the order.</summary>
internal readonly record struct OutboxItem(SequencedEvent? Event, SnapshotSlot? Snapshot);

/// <summary>
/// One client's queue between the feed and the connection. Offering never blocks the feed: lifecycle events queue up to
/// the capacity, and a progress event replaces the one its job already has waiting (latest wins, position kept, so it
/// is never sent after that job's terminal event). A client that overflows is marked and then disconnected, never
/// silently short of a terminal event.
/// </summary>
internal sealed class EventOutbox(SubscriptionSet subscriptions, int capacity)
{
    private readonly object _gate = new();
    private readonly LinkedList<OutboxItem> _queue = new();
    private readonly Dictionary<long, LinkedListNode<OutboxItem>> _pendingProgress = new();
    private SubscriptionSet _subscriptions = subscriptions;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lifecycle;
    private bool _overflowed;

    public SubscriptionSet Subscriptions => Volatile.Read(ref _subscriptions);
    public bool Overflowed { get { lock (_gate) { return _overflowed; } } }
    public long Coalesced { get; private set; }
    public (int Lifecycle, int Progress) Pending { get { lock (_gate) { return (_lifecycle, _pendingProgress.Count); } } }

    /// <summary>Called by the feed only, for each event in order.</summary>
    public void Offer(SequencedEvent e)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (_overflowed || !_subscriptions.Matches(e.Event))
            {
                return;
            }
            EnqueueLocked(e);
            signal = _signal;
        }
        signal.TrySetResult();
    }

    /// <summary>Replayed events, added by the feed before this outbox receives live ones.</summary>
    public void Preload(IEnumerable<SequencedEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                EnqueueLocked(e);
            }
        }
        Signal();
    }

    /// <summary>Changes the subscriptions; events already queued that the new set does not match are dropped.</summary>
    public void Change(Func<SubscriptionSet, SubscriptionSet> change)
    {
        lock (_gate)
        {
            _subscriptions = change(_subscriptions);
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Event is { } e && !_subscriptions.Matches(e.Event))
                {
                    RemoveLocked(node);
                }
                node = next;
            }
        }
    }

    /// <summary>Adds the job to the subscriptions and queues its snapshot in the same step, so every later event of the job comes after it.</summary>
    public SnapshotSlot SubscribeJob(long jobId)
    {
        var slot = new SnapshotSlot(jobId);
        lock (_gate)
        {
            _subscriptions = _subscriptions.WithJob(jobId, add: true);
            _queue.AddLast(new OutboxItem(null, slot));
        }
        Signal();
        return slot;
    }

    /// <summary>Marks the client as too slow (or its feed as broken): nothing more is queued, and the reader stops.</summary>
    public void Overflow()
    {
        lock (_gate)
        {
            _overflowed = true;
            _queue.Clear();
            _pendingProgress.Clear();
            _lifecycle = 0;
        }
        Signal();
    }

    public bool TryRead(out OutboxItem item)
    {
        lock (_gate)
        {
            if (_queue.First is { } first)
            {
                item = first.Value;
                RemoveLocked(first);
                return true;
            }
            item = default;
            return false;
        }
    }

    /// <summary>Completes when something may be readable (or the outbox overflowed).</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            if (_queue.Count > 0 || _overflowed)
            {
                return Task.CompletedTask;
            }
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            return _signal.Task;
        }
    }

    private void EnqueueLocked(SequencedEvent e)
    {
        if (e.Event.Kind == JobEventKind.Progress)
        {
            if (_pendingProgress.TryGetValue(e.Event.JobId, out var waiting))
            {
                waiting.Value = new OutboxItem(e, null);
                Coalesced++;
            }
            else
            {
                _pendingProgress[e.Event.JobId] = _queue.AddLast(new OutboxItem(e, null));
            }
            return;
        }
        if (_lifecycle >= capacity)
        {
            _overflowed = true;
            _queue.Clear();
            _pendingProgress.Clear();
            _lifecycle = 0;
            return;
        }
        _queue.AddLast(new OutboxItem(e, null));
        _lifecycle++;
    }

    private void RemoveLocked(LinkedListNode<OutboxItem> node)
    {
        _queue.Remove(node);
        if (node.Value.Event is not { } e)
        {
            return;
        }
        if (e.Event.Kind == JobEventKind.Progress)
        {
            _pendingProgress.Remove(e.Event.JobId);
        }
        else
        {
            _lifecycle--;
        }
    }

    private void Signal()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            signal = _signal;
        }
        // Outside the lock: a woken reader must not find it held.
        signal.TrySetResult();
    }
}
