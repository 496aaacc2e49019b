using System.Collections.Concurrent;
using Jobwatch.Engine;

namespace Jobwatch.Storage.Postgres.Notifications;

/// <summary>
/// Wake-ups across nodes. <see cref="NotifyJobsAvailable"/> wakes this process's workers at once; other
/// nodes hear of the same jobs from the store itself, which NOTIFYs the queue in the transaction that
/// made them runnable (insert, retry, release, rescue, promotion, resume), so the wake-up fires at
/// commit on every node and never for a rolled-back change. Each notification heard on the store's
/// channel wakes the local callbacks. After the listener reconnects, every queue seen so far is woken
/// once, to make up for notifications sent while it was away.
/// </summary>
public sealed class PostgresJobSignals : IJobSignals, IDisposable
{
    /// <summary>Queue names remembered for the catch-up after a reconnect; more are simply not remembered.</summary>
    private const int MaxRememberedQueues = 1_000;

    private readonly PostgresNotifications _notifications;
    private readonly InProcessJobSignals _local = new();
    private readonly ConcurrentDictionary<string, byte> _queues = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private IDisposable? _listening;
    private IDisposable? _reconnects;

    public PostgresJobSignals(PostgresNotifications notifications)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        _notifications = notifications;
    }

    public void NotifyJobsAvailable(string queue)
    {
        Remember(queue);
        _local.NotifyJobsAvailable(queue);
    }

    public IDisposable OnJobsAvailable(Action<string> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_gate)
        {
            // The listener starts with the first subscriber: a process that only enqueues never listens.
            _listening ??= _notifications.Subscribe(_notifications.JobsChannel, NotifyJobsAvailable);
            _reconnects ??= _notifications.OnConnected(WakeRememberedQueues);
        }
        return _local.OnJobsAvailable(callback);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _listening?.Dispose();
            _reconnects?.Dispose();
            _listening = _reconnects = null;
        }
    }

    private void Remember(string queue)
    {
        if (_queues.Count < MaxRememberedQueues)
        {
            _queues.TryAdd(queue, 0);
        }
    }

    private void WakeRememberedQueues()
    {
        foreach (var queue in _queues.Keys)
        {
            _local.NotifyJobsAvailable(queue);
        }
    }
}
