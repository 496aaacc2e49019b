using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;

namespace Jobwatch.Realtime.Tests;

/// <summary>
/// One stalled client (subscribed to everything, never reading) while workers run a burst of jobs with large events and
/// progress storms: the workers finish, the other clients get every event, and the stalled client's memory stays bounded.
/// </summary>
public sealed class SlowClientTests
{
    private const int BurstJobs = 3;
    private const int BurstItems = 20_000;

    [Fact]
    public async Task AStalledClient_HoldsBackNeitherWorkersNorOtherClients()
    {
        await using var server = await RealtimeTestServer.StartAsync(o => o.Realtime = r => r.ClientBufferSize = 100_000);
        var (stalled, watchers) = await ConnectAsync(server, HttpTransportType.WebSockets, HttpTransportType.LongPolling);
        await using var _ = stalled;

        var (failed, bursts) = await RunLoadAsync(server, failingJobs: 150, batch: 150);

        await WatchersGotEverythingAsync(watchers, failed, bursts);
        var stuck = await OneClientLeftBehindAsync(server);
        Assert.True(stuck.PendingLifecycle > 0);
        // Progress storms cost it at most one pending update per job, however many were reported.
        Assert.True(stuck.PendingProgress <= BurstJobs, $"{stuck.PendingProgress} progress updates pending");
        Assert.Equal(0, server.Realtime.ClientsDisconnectedTooSlow);
        await DisposeAllAsync(watchers);
    }

    [Fact]
    public async Task AClientFallingBeyondItsBuffer_IsDisconnected_NotSilentlyShortOfEvents()
    {
        await using var server = await RealtimeTestServer.StartAsync(o => o.Realtime = r => r.ClientBufferSize = 150);
        var (stalled, watchers) = await ConnectAsync(server, HttpTransportType.WebSockets);
        await using var _ = stalled;

        // 1,200 lifecycle events in batches of at most 80, each sent once the watcher has the last: it keeps up by construction.
        var (failed, bursts) = await RunLoadAsync(server, failingJobs: 300, batch: 20, afterBatch: ids => WatchersGotEverythingAsync(watchers, ids, []));

        await WatchersGotEverythingAsync(watchers, failed, bursts);
        await WaitUntilAsync(() => server.Realtime.ClientsDisconnectedTooSlow == 1, "the stalled client to be disconnected as too slow");
        await WaitUntilAsync(() => server.Realtime.Clients().Count(c => c.Transport == "hub") == watchers.Count, "only the watchers to remain connected");
        await DisposeAllAsync(watchers);
    }

    private static async Task<(StalledHubClient, List<(JobwatchHubClient Client, EventRecorder Events)>)> ConnectAsync(RealtimeTestServer server, params HttpTransportType[] transports)
    {
        var stalled = await StalledHubClient.ConnectAsync(server.BaseAddress, RealtimeTestServer.Secret(JobwatchRole.Viewer));
        var watchers = new List<(JobwatchHubClient, EventRecorder)>();
        foreach (var transport in transports)
        {
            var client = server.HubClient(transport);
            var events = new EventRecorder(client);
            await client.StartAsync();
            await client.SubscribeToAllAsync();
            watchers.Add((client, events));
        }
        await WaitUntilAsync(() => server.Realtime.Clients().Count(c => c.Transport == "hub") == transports.Length + 1, "all hub clients to be connected");
        return (stalled, watchers);
    }

    /// <summary>Failures with 8 KB errors (two big events each) enqueued <paramref name="batch"/> at a time, and progress storms.</summary>
    private static async Task<(IReadOnlyList<long> Failed, IReadOnlyList<long> Bursts)> RunLoadAsync(
        RealtimeTestServer server, int failingJobs, int batch, Func<IReadOnlyList<long>, Task>? afterBatch = null)
    {
        var error = new string('x', 8 * 1024);
        var bursts = await server.Jobs.EnqueueManyAsync(Enumerable.Range(0, BurstJobs).Select(_ => new JobEnqueueRequest(BurstHandler.Name, new BurstArgs(BurstItems))).ToArray());
        var failed = new List<long>();
        for (var done = 0; done < failingJobs; done += batch)
        {
            var ids = await server.Jobs.EnqueueManyAsync(Enumerable.Range(0, Math.Min(batch, failingJobs - done)).Select(_ => new JobEnqueueRequest(FailHandler.Name, new FailArgs(500, error))).ToArray());
            foreach (var id in ids)
            {
                await server.WaitForJobAsync(id, j => j.State == JobState.Failed, "dead-lettered");
            }
            if (afterBatch is not null)
            {
                await afterBatch(ids);
            }
            failed.AddRange(ids);
        }
        foreach (var id in bursts)
        {
            await server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");
        }
        return (failed, bursts);
    }

    private static async Task WatchersGotEverythingAsync(List<(JobwatchHubClient Client, EventRecorder Events)> watchers, IReadOnlyList<long> failed, IReadOnlyList<long> bursts)
    {
        foreach (var (_, events) in watchers)
        {
            foreach (var id in failed)
            {
                await events.WaitForAsync(JobEventNames.JobDeadLettered, id);
            }
            foreach (var id in bursts)
            {
                var done = await events.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, id);
                Assert.Equal(BurstItems, done.ItemsProcessed);
            }
        }
    }

    private static async Task<Jobwatch.AspNetCore.Realtime.RealtimeClientInfo> OneClientLeftBehindAsync(RealtimeTestServer server)
    {
        Jobwatch.AspNetCore.Realtime.RealtimeClientInfo[] behind = [];
        await WaitUntilAsync(() =>
        {
            behind = server.Realtime.Clients().Where(c => c.PendingLifecycle > 0).ToArray();
            return behind.Length == 1;
        }, "exactly the stalled client to have undelivered events");
        return behind[0];
    }

    private static async Task DisposeAllAsync(List<(JobwatchHubClient Client, EventRecorder Events)> watchers)
    {
        foreach (var (client, _) in watchers)
        {
            await client.DisposeAsync();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after 30 s waiting for {what}.");
            }
            await Task.Delay(20);
        }
    }
}
