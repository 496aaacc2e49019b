using Microsoft.Extensions.Logging;

namespace Jobwatch.Events;

/// <summary>
/// In-process fan-out. Publishing copies a snapshot of subscribers, so it never holds a lock while a
/// subscriber works. With a relay, local events are also forwarded to other processes and theirs are
/// delivered here (without being forwarded again).
/// </summary>
public sealed class JobEventBus : IJobEventStream, IJobEventPublisher, IDisposable
{
    private readonly object _gate = new();
    private readonly ILogger<JobEventBus> logger;
    private readonly IJobEventRelay? _relay;
    private readonly IDisposable? _remote;
    private JobEventSubscription[] _subscribers = [];

    public JobEventBus(ILogger<JobEventBus> logger, IJobEventRelay? relay = null)
    {
        this.logger = logger;
        _relay = relay;
        _remote = relay?.OnRemoteEvent(Deliver);
    }

    public void Dispose() => _remote?.Dispose();

    public JobEventSubscription Subscribe(JobEventFilter? filter = null, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var sub = new JobEventSubscription(filter ?? JobEventFilter.All, capacity, Remove);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, sub];
        }
        return sub;
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public bool HasListeners => _relay is not null || Volatile.Read(ref _subscribers).Length > 0;

    public void Publish(JobEvent e)
    {
        Deliver(e);
        if (_relay is not null)
        {
            try
            {
                _relay.Forward(e);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Forwarding the event for job {JobId} to other nodes failed", e.JobId);
            }
        }
    }

    private void Deliver(JobEvent e)
    {
        foreach (var sub in Volatile.Read(ref _subscribers))
        {
            try
            {
                sub.Offer(e);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "An event subscriber failed to accept an event for job {JobId}", e.JobId);
            }
        }
    }

    private void Remove(JobEventSubscription sub)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => !ReferenceEquals(s, sub)).ToArray();
        }
    }
}
