using Jobwatch.Events;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// The last events, in feed order, so an SSE client that reconnects with <c>Last-Event-ID</c> gets what it missed.
/// Lifecycle events are kept until the window is full or too old; progress is kept only as the latest per job (an
/// older one is removed when a newer arrives), so a progress storm does not push lifecycle events out. Resuming is
/// exact as long as nothing after the client's id has been trimmed. Not thread-safe: the feed calls it under its lock.
/// </summary>
internal sealed class ReplayWindow(int maxEvents, TimeSpan maxAge, TimeProvider time)
{
    private readonly LinkedList<SequencedEvent> _entries = new();
    private readonly Dictionary<long, LinkedListNode<SequencedEvent>> _latestProgress = new();
    private long _trimmedThrough;

    public int Count => _entries.Count;

    public void Add(SequencedEvent e)
    {
        if (maxEvents == 0)
        {
            _trimmedThrough = e.Seq;
            return;
        }
        if (e.Event.Kind == JobEventKind.Progress)
        {
            if (_latestProgress.Remove(e.Event.JobId, out var older))
            {
                _entries.Remove(older);
            }
            _latestProgress[e.Event.JobId] = _entries.AddLast(e);
        }
        else
        {
            _entries.AddLast(e);
        }
        Trim(e.ReceivedTimestamp);
    }

    /// <summary>Forgets everything up to now: a client resuming from before this point is told it may have missed events.</summary>
    public void Clear(long throughSeq)
    {
        _entries.Clear();
        _latestProgress.Clear();
        _trimmedThrough = throughSeq;
    }

    /// <summary>
    /// The kept events after <paramref name="afterSeq"/> that <paramref name="matches"/> accepts, or null when that is not
    /// the whole story: something after it was trimmed, or more than <paramref name="limit"/> lifecycle events would follow.
    /// </summary>
    public List<SequencedEvent>? After(long afterSeq, Func<JobEvent, bool> matches, int limit)
    {
        if (afterSeq < _trimmedThrough)
        {
            return null;
        }
        var node = _entries.Last;
        while (node is not null && node.Value.Seq > afterSeq)
        {
            node = node.Previous;
        }
        node = node is null ? _entries.First : node.Next;
        var result = new List<SequencedEvent>();
        var lifecycle = 0;
        for (; node is not null; node = node.Next)
        {
            if (!matches(node.Value.Event))
            {
                continue;
            }
            if (node.Value.Event.Kind != JobEventKind.Progress && ++lifecycle > limit)
            {
                return null;
            }
            result.Add(node.Value);
        }
        return result;
    }

    private void Trim(long now)
    {
        while (_entries.First is { } first
               && (_entries.Count > maxEvents || time.GetElapsedTime(first.Value.ReceivedTimestamp, now) > maxAge))
        {
            _entries.RemoveFirst();
            var e = first.Value.Event;
            if (e.Kind == JobEventKind.Progress && _latestProgress.TryGetValue(e.JobId, out var latest) && latest == first)
            {
                _latestProgress.Remove(e.JobId);
            }
            _trimmedThrough = first.Value.Seq;
        }
    }
}
