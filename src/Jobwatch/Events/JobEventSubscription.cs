using System.Runtime.CompilerServices;

namespace Jobwatch.Events;

/// <summary>
/// One subscriber's queue. Lifecycle events keep their order; a progress event for a job that already
/// has one waiting replaces it in place (latest value wins, position kept), so a hot progress loop costs
/// a subscriber at most one pending entry per job and a progress update is never delivered after that
/// job's terminal event.
/// </summary>
public sealed class JobEventSubscription : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<JobEvent> _queue = new();
    private readonly Dictionary<long, LinkedListNode<JobEvent>> _pendingProgress = new();
    private readonly JobEventFilter _filter;
    private readonly int _capacity;
    private readonly Action<JobEventSubscription> _onDispose;
    private int _lifecycleCount;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _fault;
    private bool _completed;

    internal JobEventSubscription(JobEventFilter filter, int capacity, Action<JobEventSubscription> onDispose)
    {
        _filter = filter;
        _capacity = capacity;
        _onDispose = onDispose;
    }

    public JobEventFilter Filter => _filter;

    /// <summary>Progress updates replaced by a newer one before this subscriber read them.</summary>
    public long CoalescedCount { get; private set; }

    internal void Offer(JobEvent e)
    {
        if (!_filter.Matches(e))
        {
            return;
        }
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }
            if (e.Kind == JobEventKind.Progress && _pendingProgress.TryGetValue(e.JobId, out var node))
            {
                node.Value = e;
                CoalescedCount++;
                return;
            }
            if (e.Kind == JobEventKind.Progress)
            {
                _pendingProgress[e.JobId] = _queue.AddLast(e);
            }
            else
            {
                if (_lifecycleCount >= _capacity)
                {
                    _fault = new SubscriberTooSlowException(_capacity);
                    _completed = true;
                }
                else
                {
                    _queue.AddLast(e);
                    _lifecycleCount++;
                }
            }
            signal = _signal;
        }
        signal.TrySetResult();
    }

    public bool TryRead(out JobEvent e)
    {
        lock (_gate)
        {
            if (_queue.First is { } first)
            {
                _queue.RemoveFirst();
                e = first.Value;
                if (e.Kind == JobEventKind.Progress)
                {
                    _pendingProgress.Remove(e.JobId);
                }
                else
                {
                    _lifecycleCount--;
                }
                return true;
            }
            if (_fault is not null)
            {
                throw _fault;
            }
            e = null!;
            return false;
        }
    }

    public async IAsyncEnumerable<JobEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (!ct.IsCancellationRequested)
        {
            Task wait;
            lock (_gate)
            {
                if (_queue.Count == 0 && _fault is null)
                {
                    if (_completed)
                    {
                        yield break;
                    }
                    if (_signal.Task.IsCompleted)
                    {
                        _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    wait = _signal.Task;
                }
                else
                {
                    wait = Task.CompletedTask;
                }
            }
            if (!wait.IsCompleted)
            {
                try
                {
                    await wait.WaitAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
            while (TryRead(out var e))
            {
                yield return e;
            }
        }
    }

    public void Dispose()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _completed = true;
            signal = _signal;
        }
        signal.TrySetResult();
        _onDispose(this);
    }
}
