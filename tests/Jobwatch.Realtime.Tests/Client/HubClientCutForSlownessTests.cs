using Jobwatch.Client;
using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;

namespace Jobwatch.Realtime.Tests.Client;

/// <summary>
/// A client that falls more than its buffer behind is disconnected, but only to come back: the server's close lets
/// <see cref="JobwatchHubClient"/>'s automatic reconnect run, so the client resubscribes and catches up from snapshots.
/// </summary>
public sealed class HubClientCutForSlownessTests
{
    [Fact]
    public async Task AClientCutForFallingBehind_ReconnectsBySelf_AndFollowsAgain()
    {
        await using var server = await RealtimeTestServer.StartAsync(o => o.Realtime = r => r.ClientBufferSize = 50);
        await using var client = HubReconnect.Client(server.BaseAddress, HttpTransportType.WebSockets);
        // The first dead-lettered event blocks the client's receive loop, as a busy UI thread would: nothing more is
        // read, the socket fills, and the server's queue for this client overflows.
        using var release = new ManualResetEventSlim();
        client.OnJobDeadLettered(_ => release.Wait(TimeSpan.FromSeconds(90)));
        await client.StartAsync();
        await client.SubscribeToAllAsync();
        var reconnected = HubReconnect.NextReconnectAsync(client);

        var error = new string('x', 8 * 1024);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var flood = new List<long>();
        while (server.Realtime.ClientsDisconnectedTooSlow == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The blocked client was never disconnected as too slow.");
            flood.AddRange(await server.Jobs.EnqueueManyAsync(Enumerable.Range(0, 100).Select(_ => new JobEnqueueRequest(FailHandler.Name, new FailArgs(500, error))).ToArray()));
            await Task.Delay(100);
        }
        release.Set();

        var newId = await reconnected;
        Assert.NotNull(newId);
        // Let the flood end first: with a 50-event buffer the client may be cut (and come back) again meanwhile.
        foreach (var id in flood)
        {
            await server.WaitForJobAsync(id, j => j.State == JobState.Failed, "dead-lettered");
        }
        var restored = await SettledSubscriptionsAsync(server, client);
        Assert.True(restored.All);

        var afterReconnect = new EventRecorder(client);
        var echo = await server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("after the reconnect"));
        await afterReconnect.WaitForAsync(JobEventNames.JobCompleted, echo);
    }

    /// <summary>
    /// The subscriptions of the client's connection once the flood's last events have reached it: until then the client
    /// may be cut (and come back) again, which cancels a call in flight, so a cancelled call is asked again.
    /// </summary>
    private static async Task<HubSubscriptions> SettledSubscriptionsAsync(RealtimeTestServer server, JobwatchHubClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The client did not settle on a connection within 60 s; it is {client.Connection.State}.");
            if (client.Connection.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected
                && server.Realtime.Clients().All(c => c.PendingLifecycle == 0))
            {
                try
                {
                    return await HubReconnect.WaitForSubscriptionsAsync(client, new HubSubscriptions(true, [], []));
                }
                catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
                {
                    // Cut again meanwhile: wait for the next connection.
                }
            }
            await Task.Delay(50);
        }
    }
}
