using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>The live side of every open hub connection, by connection id (hub instances live for one call only).</summary>
internal sealed class HubClientRegistry(
    JobEventFeed feed,
    IHubContext<JobProgressHub> hub,
    IOptions<JobwatchRealtimeOptions> options,
    TimeProvider time,
    ILogger<HubClientRegistry> logger)
{
    private readonly ConcurrentDictionary<string, HubClientConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Open(HubCallerContext context)
    {
        var connection = new HubClientConnection(context, hub.Clients.Client(context.ConnectionId), feed, options.Value.ClientBufferSize, time, logger);
        _connections[context.ConnectionId] = connection;
        connection.Start();
    }

    public HubClientConnection Get(HubCallerContext context) =>
        _connections.TryGetValue(context.ConnectionId, out var connection)
            ? connection
            : throw new HubException("This connection is closing; reconnect and subscribe again.");

    public async Task CloseAsync(HubCallerContext context)
    {
        if (_connections.TryRemove(context.ConnectionId, out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
