namespace Jobwatch.Events;

/// <summary>The live event stream of this process (and, with a multi-node store, of its peers).</summary>
public interface IJobEventStream
{
    /// <summary>
    /// Subscribes to events. The subscription buffers at most <paramref name="capacity"/> lifecycle
    /// events; progress events are coalesced per job (latest wins) so they never pile up. A subscriber
    /// that falls further behind is ended with <see cref="SubscriberTooSlowException"/> rather than
    /// silently losing a terminal event: it can resubscribe and re-read current state.
    /// </summary>
    JobEventSubscription Subscribe(JobEventFilter? filter = null, int capacity = 10_000);
}

/// <summary>Publishes into the stream. Never blocks and never throws into the caller (a worker).</summary>
public interface IJobEventPublisher
{
    void Publish(JobEvent e);

    /// <summary>
    /// False when a published event would go nowhere (no subscriber, no relay), so a hot path can skip
    /// building it. A subscriber that joins right after the check misses only what happened before it joined.
    /// </summary>
    bool HasListeners => true;
}

public sealed class SubscriberTooSlowException(int capacity)
    : Exception($"The event subscriber fell more than {capacity} lifecycle events behind and was disconnected. Resubscribe and reload current state.");
