namespace Jobwatch.AspNetCore.Realtime;

/// <summary>One connected realtime client, as the server sees it.</summary>
/// <param name="Transport">"hub" or "sse".</param>
/// <param name="PendingLifecycle">Lifecycle events waiting to be sent (at most the client buffer size).</param>
/// <param name="PendingProgress">Jobs with a progress update waiting (at most one each).</param>
/// <param name="Coalesced">Progress updates replaced by a newer one before they were sent.</param>
public sealed record RealtimeClientInfo(string Id, string Transport, int PendingLifecycle, int PendingProgress, long Coalesced);

/// <summary>Live figures of the hub and the event stream (for health pages, metrics and tests).</summary>
public sealed class JobwatchRealtimeStatistics
{
    private readonly JobEventFeed _feed;

    internal JobwatchRealtimeStatistics(JobEventFeed feed) => _feed = feed;

    /// <summary>Job events the realtime feed has taken from the event stream since start.</summary>
    public long EventsReceived => _feed.EventsReceived;

    /// <summary>Progress updates superseded before the feed took them from the event stream (so no client was offered them).</summary>
    public long EventsCoalescedByFeed => _feed.Coalesced;

    /// <summary>Clients disconnected because they fell more than the client buffer behind.</summary>
    public long ClientsDisconnectedTooSlow => _feed.ClientsDisconnectedTooSlow;

    public IReadOnlyList<RealtimeClientInfo> Clients() =>
        _feed.Clients.Select(c =>
        {
            var (lifecycle, progress) = c.Outbox.Pending;
            return new RealtimeClientInfo(c.Id, c.Transport, lifecycle, progress, c.Outbox.Coalesced);
        }).ToArray();
}
