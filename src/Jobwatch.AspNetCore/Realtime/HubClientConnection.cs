using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// One hub connection's live side: its outbox in the feed and the loop that sends from it. The loop is the only sender
/// of events to the connection, so events go out in feed order with snapshots in their place; a slow connection only
/// blocks its own loop. Unsubscribing takes the send lock, so once an unsubscribe returns no event of what was dropped follows.
/// </summary>
internal sealed class HubClientConnection : IAsyncDisposable
{
    private readonly JobEventFeed _feed;
    private readonly HubCallerContext _context;
    private readonly IClientProxy _client;
    private readonly ClientEventShaper _shaper;
    private readonly ILogger _logger;
    private readonly FeedClient _feedClient;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;

    public HubClientConnection(HubCallerContext context, IClientProxy client, JobEventFeed feed, int capacity, TimeProvider time, ILogger logger)
    {
        _context = context;
        _client = client;
        _feed = feed;
        _logger = logger;
        _shaper = new ClientEventShaper(time);
        Outbox = new EventOutbox(SubscriptionSet.None, capacity);
        _feedClient = new FeedClient(context.ConnectionId, "hub", Outbox);
    }

    public EventOutbox Outbox { get; }

    public void Start()
    {
        _feed.Attach(_feedClient);
        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    /// <summary>Runs a subscription change between two sends, so nothing it removes is sent after it returns.</summary>
    public async Task ChangeAsync(Action change)
    {
        await _sendLock.WaitAsync(_context.ConnectionAborted).ConfigureAwait(false);
        try
        {
            change();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        var batch = new List<OutgoingMessage>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (!Outbox.TryRead(out var item))
                {
                    if (Outbox.Overflowed)
                    {
                        _feed.CountTooSlow(_feedClient);
                        CloseAllowingReconnect();
                        return;
                    }
                    await Outbox.WaitAsync().WaitAsync(ct).ConfigureAwait(false);
                    continue;
                }
                await _sendLock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    batch.Clear();
                    if (item.Snapshot is { } slot)
                    {
                        if (await slot.Detail.WaitAsync(ct).ConfigureAwait(false) is { } detail
                            && Outbox.Subscriptions.Matches(detail.View.Job.Id, detail.View.Job.Queue))
                        {
                            _shaper.ShapeSnapshot(detail, 0, batch);
                        }
                    }
                    else if (item.Event is { } e && Outbox.Subscriptions.Matches(e.Event))
                    {
                        _shaper.Shape(e, batch);
                    }
                    foreach (var message in batch)
                    {
                        await _client.SendAsync(message.Name, message.Serialized, ct).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Sending job events to hub connection {ConnectionId} failed; closing it", _context.ConnectionId);
            _context.Abort();
        }
    }

    /// <summary>
    /// Closes with a close message that lets the client reconnect: a client cut for being too slow should come back,
    /// subscribe again and catch up from the snapshots. <see cref="HubCallerContext.Abort"/> alone tells SignalR clients
    /// with automatic reconnect to stay away.
    /// </summary>
    private void CloseAllowingReconnect()
    {
        if (_context.Features.Get<IConnectionLifetimeNotificationFeature>() is { } lifetime)
        {
            lifetime.RequestClose();
        }
        else
        {
            _context.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _feed.Detach(_feedClient);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
