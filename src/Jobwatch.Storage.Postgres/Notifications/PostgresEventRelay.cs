using Jobwatch.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobwatch.Storage.Postgres.Notifications;

/// <summary>
/// Carries live events between the nodes of one store over NOTIFY. <see cref="Forward"/> never blocks:
/// it puts the event in a bounded outbox (progress coalesced per job, latest wins) that a background
/// sender drains, packing many events into each payload and all payloads of a round into one
/// statement. Rounds are at least <see cref="SendInterval"/> apart, so a burst of events costs a few
/// commits a second, not one per event. When the server is down the sender keeps the round and
/// retries with backoff; lifecycle events are lost only if the outbox overflows (<see cref="DroppedEvents"/>).
/// Events from other nodes are decoded on the listener's thread and handed to <see cref="OnRemoteEvent"/>
/// callbacks; this node's own events, which NOTIFY echoes back, are ignored.
/// </summary>
public sealed class PostgresEventRelay : IJobEventRelay, IDisposable, IAsyncDisposable
{
    /// <summary>Minimum time between two send rounds: the remote delay added at most, and the cap on commits.</summary>
    public static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(25);

    private const int OutboxCapacity = 100_000;
    private const int EventsPerRound = 2_000;
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(2);

    private readonly PostgresNotifications _notifications;
    private readonly ILogger _logger;
    private readonly string _ownPrefix; // how this relay's payloads begin, to drop their echo unparsed
    private readonly EventOutbox _outbox = new(OutboxCapacity);
    private readonly SemaphoreSlim _pending = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Action<JobEvent>[] _receivers = [];
    private IDisposable? _listening;
    private Task? _sender;
    private IReadOnlyList<string>? _unsent; // touched by the sender only (and by dispose, after it ended)
    private long _sequence, _truncated, _dropped, _received;
    private bool _disposed;

    public PostgresEventRelay(PostgresNotifications notifications, ILogger<PostgresEventRelay>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        _notifications = notifications;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        NodeId = Guid.NewGuid().ToString("N");
        _ownPrefix = EventPayloadCodec.NodePrefix(NodeId);
    }

    /// <summary>This relay's identity in payloads: unique per process (and per relay).</summary>
    public string NodeId { get; }

    /// <summary>Events lost: the outbox overflowed, or one event could not be cut down to fit a payload.</summary>
    public long DroppedEvents => _outbox.Dropped + Interlocked.Read(ref _dropped);

    /// <summary>Events sent with a shortened error (or without their custom progress) so that they fit in one payload.</summary>
    public long TruncatedEvents => Interlocked.Read(ref _truncated);

    /// <summary>Events received from other nodes.</summary>
    public long ReceivedEvents => Interlocked.Read(ref _received);

    public void Forward(JobEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_outbox.Add(e))
        {
            return;
        }
        if (Volatile.Read(ref _sender) is null)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                _sender ??= Task.Run(() => SendLoopAsync(_stop.Token));
            }
        }
        Signal();
    }

    public IDisposable OnRemoteEvent(Action<JobEvent> deliver)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _receivers = [.. _receivers, deliver];
            _listening ??= _notifications.Subscribe(_notifications.EventsChannel, Receive);
        }
        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _receivers = _receivers.Where(r => r != deliver).ToArray();
            }
        });
    }

    private void Signal()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // A round is already pending; it takes this event too.
        }
    }

    private async Task SendLoopAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await _pending.WaitAsync(stop).ConfigureAwait(false);
                await SendPendingAsync(stop).ConfigureAwait(false);
                // Let events gather (and progress coalesce) before the next round.
                await Task.Delay(SendInterval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends everything in the outbox. A failed round is retried with backoff until it is sent or
    /// <paramref name="stop"/> fires; then it stays in <see cref="_unsent"/> and goes first next time.
    /// </summary>
    private async Task SendPendingAsync(CancellationToken stop)
    {
        while (true)
        {
            if (_unsent is null)
            {
                var events = _outbox.Take(EventsPerRound);
                if (events.Count == 0)
                {
                    return;
                }
                var packed = EventPayloadCodec.Pack(NodeId, ref _sequence, events);
                Interlocked.Add(ref _truncated, packed.Truncated);
                Interlocked.Add(ref _dropped, packed.Dropped);
                _unsent = packed.Payloads;
            }
            var round = _unsent;
            for (var failures = 0; ; failures++)
            {
                try
                {
                    await _notifications.NotifyAsync(_notifications.EventsChannel, round, stop).ConfigureAwait(false);
                    _unsent = null;
                    break;
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    _logger.Log(failures == 0 ? LogLevel.Warning : LogLevel.Debug, ex,
                        "Sending job events to other nodes failed (attempt {Attempt}); retrying", failures + 1);
                    var backoff = TimeSpan.FromMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, Math.Min(failures, 7))));
                    await Task.Delay(backoff, stop).ConfigureAwait(false);
                }
            }
        }
    }

    private void Receive(string payload)
    {
        if (EventPayloadCodec.IsFrom(payload, _ownPrefix))
        {
            return;
        }
        var envelope = EventPayloadCodec.Unpack(payload);
        if (envelope is null)
        {
            _logger.LogDebug("Ignored a notification on {Channel} that is not a Jobwatch event payload", _notifications.EventsChannel);
            return;
        }
        if (envelope.Node == NodeId)
        {
            return;
        }
        var receivers = Volatile.Read(ref _receivers);
        foreach (var e in envelope.Events)
        {
            Interlocked.Increment(ref _received);
            foreach (var deliver in receivers)
            {
                try
                {
                    deliver(e);
                }
                catch (Exception ex)
                {
                    _logger.LogWarning(ex, "Delivering a relayed event for job {JobId} failed", e.JobId);
                }
            }
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        Task? sender;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            sender = _sender;
            _listening?.Dispose();
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (sender is not null)
        {
            await sender.ConfigureAwait(false);
            // Best effort for what is still queued (a graceful shutdown's last completions), bounded.
            using var flush = new CancellationTokenSource(FinalFlushTimeout);
            try
            {
                await SendPendingAsync(flush.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _logger.LogWarning("{Count} job events were not sent to other nodes before shutdown", _outbox.Count);
            }
        }
        _stop.Dispose();
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
