using System.Globalization;
using System.Security.Cryptography;
using Jobwatch.Events;
using Jobwatch.Monitoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>A connected hub client or SSE stream, as the feed fans out to it.</summary>
internal sealed record FeedClient(string Id, string Transport, EventOutbox Outbox);

/// <summary>
/// The realtime surface's one subscriber to the job event stream (which, with PostgreSQL, includes other nodes' events).
/// It numbers events in a single order, keeps the replay window, and offers each event to every client's outbox. It
/// never waits for a client: a slow one only fills (and eventually overflows) its own outbox.
/// </summary>
internal sealed class JobEventFeed : BackgroundService
{
    /// <summary>How far the feed itself may fall behind the bus before events are lost (it only copies references, so this is generous).</summary>
    private const int BusCapacity = 100_000;

    private readonly object _gate = new();
    private readonly IJobMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly ILogger<JobEventFeed> _logger;
    private readonly ReplayWindow _replay;
    // Taken around pacing and appending, so a held update is appended in order with its job's other events.
    private readonly object _paceGate = new();
    private readonly ProgressThrottle _throttle;
    private readonly SemaphoreSlim _heldSignal = new(0, 1);
    private FeedClient[] _clients = [];
    private long _seq;
    private long _received;
    private long _tooSlow;
    private long _coalescedEarlier;
    private JobEventSubscription? _subscription;

    public JobEventFeed(IJobMonitor monitor, TimeProvider time, IOptions<JobwatchRealtimeOptions> options, ILogger<JobEventFeed> logger)
    {
        _monitor = monitor;
        _time = time;
        _logger = logger;
        _replay = new ReplayWindow(options.Value.ReplayWindowSize, options.Value.ReplayWindowAge, time);
        _throttle = new ProgressThrottle(options.Value.ProgressInterval, time);
    }

    /// <summary>Identifies this process's numbering in event ids, so an id from another process (or before a restart) is recognised as foreign.</summary>
    public string Epoch { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public long EventsReceived => Interlocked.Read(ref _received);
    public long ClientsDisconnectedTooSlow => Interlocked.Read(ref _tooSlow);
    /// <summary>
    /// Progress updates replaced by a newer one before any client was offered them: held back by the progress pace
    /// (<see cref="JobwatchRealtimeOptions.ProgressInterval"/>), or while the feed fell briefly behind the bus.
    /// </summary>
    public long Coalesced => Interlocked.Read(ref _coalescedEarlier) + (Volatile.Read(ref _subscription)?.CoalescedCount ?? 0) + PacedAway;

    private long PacedAway
    {
        get
        {
            lock (_paceGate)
            {
                return _throttle.Superseded;
            }
        }
    }
    public IReadOnlyList<FeedClient> Clients => Volatile.Read(ref _clients);

    public string FormatId(long seq) => string.Create(CultureInfo.InvariantCulture, $"{Epoch}-{seq}");

    /// <summary>
    /// Starts fanning out to <paramref name="client"/>. With <paramref name="resumeAfter"/>, the events after that id are
    /// queued first, in the same step, so none is missed or doubled; if that is not possible, the reason is returned.
    /// Returns the sequence number the client is now current with.
    /// </summary>
    public (long Head, string? ResetReason) Attach(FeedClient client, string? resumeAfter = null, int replayLimit = int.MaxValue)
    {
        lock (_gate)
        {
            string? reset = null;
            if (resumeAfter is not null)
            {
                if (!TryParseId(resumeAfter, out var seq))
                {
                    reset = $"Last-Event-ID '{Shorten(resumeAfter)}' was not issued by this server process (it restarted, or another node served it); events since then may have been missed.";
                }
                else if (_replay.After(seq, client.Outbox.Subscriptions.Matches, replayLimit) is { } missed)
                {
                    client.Outbox.Preload(missed);
                }
                else
                {
                    reset = $"Last-Event-ID '{Shorten(resumeAfter)}' is older than the replay window (Jobwatch:Api:Realtime:ReplayWindowSize / ReplayWindowAge); events since then may have been missed.";
                }
            }
            _clients = [.. _clients, client];
            return (_seq, reset);
        }
    }

    public void Detach(FeedClient client)
    {
        lock (_gate)
        {
            _clients = _clients.Where(c => !ReferenceEquals(c, client)).ToArray();
        }
    }

    public void CountTooSlow(FeedClient client)
    {
        Interlocked.Increment(ref _tooSlow);
        _logger.LogWarning("Realtime client {ClientId} ({Transport}) fell more than the client buffer behind and was disconnected; it can reconnect and resubscribe",
            client.Id, client.Transport);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The release loop ends with the feed, however the feed ends (a fault must still reach the host).
        using var feedEnded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var releasing = _throttle.Enabled ? ReleaseHeldAsync(feedEnded.Token) : Task.CompletedTask;
        try
        {
            await FeedAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await feedEnded.CancelAsync().ConfigureAwait(false);
            await releasing.ConfigureAwait(false);
        }
    }

    private async Task FeedAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var subscription = _monitor.Subscribe(null, BusCapacity);
            Volatile.Write(ref _subscription, subscription);
            try
            {
                var send = new List<JobEvent>(2);
                await foreach (var e in subscription.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    Pace(e, send);
                }
            }
            catch (SubscriberTooSlowException ex)
            {
                _logger.LogError(ex, "The realtime feed fell behind the job event stream; disconnecting realtime clients so they reload current state");
                FeedClient[] clients;
                lock (_gate)
                {
                    _replay.Clear(_seq);
                    clients = _clients;
                }
                foreach (var client in clients)
                {
                    client.Outbox.Overflow();
                }
            }
            Interlocked.Add(ref _coalescedEarlier, subscription.CoalescedCount);
            Volatile.Write(ref _subscription, null);
        }
    }

    private void Pace(JobEvent e, List<JobEvent> send)
    {
        bool held;
        lock (_paceGate)
        {
            send.Clear();
            _throttle.Admit(e, send);
            held = send.Count == 0;
            foreach (var now in send)
            {
                Append(now);
            }
        }
        if (held && _heldSignal.CurrentCount == 0)
        {
            try
            {
                _heldSignal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    /// <summary>Sends held progress updates when their interval is up; sleeps while none is held.</summary>
    private async Task ReleaseHeldAsync(CancellationToken ct)
    {
        var due = new List<JobEvent>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Wakes on a new held update, or now and then to forget jobs whose end was never seen.
                await _heldSignal.WaitAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
                TimeSpan? wait;
                do
                {
                    lock (_paceGate)
                    {
                        due.Clear();
                        wait = _throttle.TakeDue(due);
                        foreach (var e in due)
                        {
                            Append(e);
                        }
                    }
                    if (wait is { } w)
                    {
                        await Task.Delay(w, _time, ct).ConfigureAwait(false);
                    }
                }
                while (wait is not null);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Append(JobEvent e)
    {
        SequencedEvent se;
        FeedClient[] clients;
        lock (_gate)
        {
            se = new SequencedEvent(++_seq, e, _time.GetTimestamp());
            _replay.Add(se);
            clients = _clients;
        }
        Interlocked.Increment(ref _received);
        foreach (var client in clients)
        {
            client.Outbox.Offer(se);
        }
    }

    private bool TryParseId(string id, out long seq)
    {
        seq = 0;
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && id.AsSpan(0, dash).SequenceEqual(Epoch)
            && long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out seq)
            && seq <= _seq;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
