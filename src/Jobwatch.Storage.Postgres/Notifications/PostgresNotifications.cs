using Jobwatch.Storage.Postgres.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobwatch.Storage.Postgres.Notifications;

/// <summary>
/// LISTEN/NOTIFY for one store: a background listener on one dedicated connection (LISTENing on the
/// store's wake-up and event channels) that hands each payload to the handlers of its channel, and
/// <see cref="NotifyAsync"/> to send through the store's pool. The listener starts with the first
/// <see cref="Subscribe"/>. When the connection fails (server restart, network) it reconnects with
/// backoff, for as long as this object lives, and never throws out of its loop; after each connect it
/// runs the <see cref="OnConnected"/> callbacks, so subscribers can make up for what they missed.
/// </summary>
public sealed class PostgresNotifications : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly PostgresJobStore _store;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<string, Action<string>[]> _handlers = [];
    private Action[] _connected = [];
    private TaskCompletionSource _listening = NewSignal();
    private Task? _loop;
    private int _processId;
    private int _connections;
    private bool _disposed;

    public PostgresNotifications(PostgresJobStore store, ILogger<PostgresNotifications>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Wake-ups: the payload is a queue with runnable jobs. The store NOTIFYs it when jobs become runnable.</summary>
    public string JobsChannel => _store.Factory.JobsChannel;

    /// <summary>Relayed job events (<see cref="PostgresEventRelay"/>).</summary>
    public string EventsChannel => _store.Factory.EventsChannel;

    /// <summary>The server process of the listening connection; 0 while not connected.</summary>
    public int ListenerProcessId => Volatile.Read(ref _processId);

    /// <summary>How many times the listener has connected (1 after the first connect).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Calls <paramref name="handler"/> with the payload of every notification on <paramref name="channel"/>, from the listener's thread.</summary>
    public IDisposable Subscribe(string channel, Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (channel != JobsChannel && channel != EventsChannel)
        {
            throw new ArgumentException($"Only the store's channels ({JobsChannel}, {EventsChannel}) are listened to.", nameof(channel));
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = _handlers.TryGetValue(channel, out var list) ? list : [];
            Volatile.Write(ref _handlers, new Dictionary<string, Action<string>[]>(_handlers) { [channel] = [.. current, handler] });
            _loop ??= Task.Run(() => ListenLoopAsync(_stop.Token));
        }
        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                if (_handlers.TryGetValue(channel, out var list))
                {
                    Volatile.Write(ref _handlers, new Dictionary<string, Action<string>[]>(_handlers) { [channel] = list.Where(h => h != handler).ToArray() });
                }
            }
        });
    }

    /// <summary>Runs <paramref name="callback"/> each time the listener has (re)connected and LISTENs again.</summary>
    public IDisposable OnConnected(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_gate)
        {
            Volatile.Write(ref _connected, [.. _connected, callback]);
        }
        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                Volatile.Write(ref _connected, _connected.Where(c => c != callback).ToArray());
            }
        });
    }

    /// <summary>Completes once the listener is connected and LISTENing (notifications sent from then on are heard).</summary>
    public Task WhenListeningAsync(CancellationToken ct = default)
    {
        Task signal;
        lock (_gate)
        {
            signal = _listening.Task;
        }
        return signal.WaitAsync(ct);
    }

    /// <summary>Sends <paramref name="payloads"/> on <paramref name="channel"/> in one transaction, in order. Throws when the server is unreachable.</summary>
    public async Task NotifyAsync(string channel, IReadOnlyList<string> payloads, CancellationToken ct = default)
    {
        if (payloads.Count == 0)
        {
            return;
        }
        await using var command = _store.DataSource.CreateCommand(SqlCatalog.NotifyMany)
            .Set("channel", channel)
            .Set("payloads", payloads.ToArray<string?>());
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task ListenLoopAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var connectionsBefore = Connections;
            try
            {
                await ListenOnceAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A connection that worked for a while and then failed starts a new outage.
                failures = Connections != connectionsBefore ? 1 : failures + 1;
                // The first failure of an outage is a warning; the retries behind it are noise.
                _logger.Log(failures == 1 ? LogLevel.Warning : LogLevel.Debug, ex,
                    "The PostgreSQL LISTEN connection failed (attempt {Attempt}); cross-node wake-ups and events pause until it reconnects", failures);
            }
            var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 10))));
            try
            {
                await Task.Delay(backoff * (0.75 + Random.Shared.NextDouble() / 2), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ListenOnceAsync(CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(_store.Factory.ListenerConnectionString);
        await connection.OpenAsync(stop).ConfigureAwait(false);
        connection.Notification += OnNotification;
        try
        {
            // LISTEN takes no parameters: channel names are built from the validated schema name only.
            var listen = $"LISTEN {PostgresConnectionFactory.QuoteIdentifier(JobsChannel)}; LISTEN {PostgresConnectionFactory.QuoteIdentifier(EventsChannel)}";
            await using (var command = new NpgsqlCommand(listen, connection))
            {
                await command.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
            }
            Volatile.Write(ref _processId, connection.ProcessID);
            var count = Interlocked.Increment(ref _connections);
            MarkListening(true);
            if (count > 1)
            {
                _logger.LogInformation("The PostgreSQL LISTEN connection is back (connection {Count})", count);
            }
            RunConnectedCallbacks();
            while (!stop.IsCancellationRequested)
            {
                if (!await connection.WaitAsync(IdleCheck, stop).ConfigureAwait(false))
                {
                    await using var ping = new NpgsqlCommand(SqlCatalog.ListenerPing, connection) { CommandTimeout = 10 };
                    await ping.ExecuteScalarAsync(stop).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            connection.Notification -= OnNotification;
            Volatile.Write(ref _processId, 0);
            MarkListening(false);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (!Volatile.Read(ref _handlers).TryGetValue(e.Channel, out var handlers))
        {
            return;
        }
        foreach (var handler in handlers)
        {
            try
            {
                handler(e.Payload);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "A handler of PostgreSQL notifications on {Channel} failed", e.Channel);
            }
        }
    }

    private void RunConnectedCallbacks()
    {
        foreach (var callback in Volatile.Read(ref _connected))
        {
            try
            {
                callback();
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "A callback after the LISTEN connection (re)connected failed");
            }
        }
    }

    private void MarkListening(bool listening)
    {
        lock (_gate)
        {
            if (listening)
            {
                _listening.TrySetResult();
            }
            else if (_listening.Task.IsCompleted)
            {
                _listening = NewSignal();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            loop = _loop;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false); // the loop never throws; cancellation ends it promptly
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
