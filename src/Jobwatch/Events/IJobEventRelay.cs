namespace Jobwatch.Events;

/// <summary>
/// Carries live events between processes that share one store (PostgreSQL's LISTEN/NOTIFY). The
/// default is none: events stay in the process that published them. A relay must never block the
/// publisher: it queues and sends in the background, coalescing progress.
/// </summary>
public interface IJobEventRelay
{
    /// <summary>Called with every event this process publishes.</summary>
    void Forward(JobEvent e);

    /// <summary>Registers the receiver of events published by other processes.</summary>
    IDisposable OnRemoteEvent(Action<JobEvent> deliver);
}
