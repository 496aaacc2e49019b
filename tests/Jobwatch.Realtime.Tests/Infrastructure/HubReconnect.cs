using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Contracts.Events;
using Microsoft.AspNetCore.Http.Connections;

namespace Jobwatch.Realtime.Tests.Infrastructure;

/// <summary>Helpers for tests of <see cref="JobwatchHubClient"/>'s automatic reconnect: the client as users get it, and bounded waits.</summary>
public static class HubReconnect
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A viewer's hub client with the default options, so <see cref="JobwatchHubClientOptions.AutomaticReconnect"/> is on.</summary>
    public static JobwatchHubClient Client(Uri server, HttpTransportType transport) =>
        new(server, new JobwatchHubClientOptions { Token = RealtimeTestServer.Secret(JobwatchRole.Viewer), Transports = transport });

    /// <summary>Completes with the new connection id when the client next reconnects by itself (60 s at most: SignalR's retries wait 0, 2 and 10 s).</summary>
    public static Task<string?> NextReconnectAsync(JobwatchHubClient client)
    {
        var reconnected = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<string?, Task>? handler = null;
        handler = id =>
        {
            client.Connection.Reconnected -= handler;
            reconnected.TrySetResult(id);
            return Task.CompletedTask;
        };
        client.Connection.Reconnected += handler;
        return reconnected.Task.WaitAsync(Patience);
    }

    /// <summary>
    /// Waits (60 s at most) until the client is connected and the server that <paramref name="serverSide"/> watches holds
    /// its current connection: a client may first reconnect to a server that is still shutting down, and lose it again.
    /// </summary>
    public static async Task WaitUntilConnectedToAsync(JobwatchHubClient client, HubConnectionDropper serverSide)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!(client.Connection.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected
            && client.Connection.ConnectionId is { } id && serverSide.OpenConnectionIds.Contains(id)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The client did not reconnect to the new server within {Patience.TotalSeconds} s; it is {client.Connection.State}.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Asks the server (<c>get-subscriptions</c>) until the connection's subscriptions are <paramref name="expected"/>; fails
    /// after 30 s with what it last saw. Only reads: the restoring is the client's own business.
    /// </summary>
    public static async Task<HubSubscriptions> WaitForSubscriptionsAsync(JobwatchHubClient client, HubSubscriptions expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HubSubscriptions? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetSubscriptionsAsync();
            if (Same(last, expected))
            {
                return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The connection's subscriptions did not become {Describe(expected)} within 30 s; last seen: {(last is null ? "nothing" : Describe(last))}.");
    }

    public static bool Same(HubSubscriptions a, HubSubscriptions b) =>
        a.All == b.All && a.JobIds.Order().SequenceEqual(b.JobIds.Order()) && a.Queues.Order(StringComparer.Ordinal).SequenceEqual(b.Queues.Order(StringComparer.Ordinal));

    public static string Describe(HubSubscriptions s) => $"{{ all: {s.All}, jobs: [{string.Join(", ", s.JobIds)}], queues: [{string.Join(", ", s.Queues)}] }}";
}
