using Microsoft.Extensions.Logging;

namespace Jobwatch.Events;

/// <summary>In-process fan-out. Publishing copies a snapshot of subscribers, so it never holds a lock while a subscriber works.</summary>
public sealed class JobEventBus(ILogger<JobEventBus> logger) : IJobEventStream, IJobEventPublisher
{
    private readonly object _gate = new();
    private JobEventSubscription[] _subscribers = [];

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

    public void Publish(JobEvent e)
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
