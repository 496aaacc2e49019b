using Jobwatch.Client;
using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;

namespace Jobwatch.Realtime.Tests.Client;

/// <summary>
/// <see cref="JobwatchHubClient"/>'s automatic reconnect when the server cuts the connection (transport aborted, as by a
/// proxy or a load balancer): the client reconnects by itself and, without the caller doing anything, follows again
/// what it followed, and nothing it had stopped following.
/// </summary>
public sealed class HubClientReconnectTests : IAsyncLifetime
{
    private readonly HubConnectionDropper _dropper = new();
    private RealtimeTestServer _server = null!;
    private JobwatchHubClient? _client;

    public async Task InitializeAsync() => _server = await RealtimeTestServer.StartAsync(o => o.Services = _dropper.AddTo);

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        await _server.DisposeAsync();
    }

    private async Task<(JobwatchHubClient Client, EventRecorder Events)> ConnectAsync(HttpTransportType transport)
    {
        _client = HubReconnect.Client(_server.BaseAddress, transport);
        var events = new EventRecorder(_client);
        await _client.StartAsync();
        return (_client, events);
    }

    /// <summary>Cuts the connection from the server side and waits until the client has reconnected by itself; returns what the client receives from then on.</summary>
    private async Task<EventRecorder> DropAndReconnectAsync(JobwatchHubClient client)
    {
        var afterDrop = new EventRecorder(client);
        var reconnected = HubReconnect.NextReconnectAsync(client);
        var before = client.Connection.ConnectionId;

        Assert.Equal(1, await _dropper.DropAllAsync());

        var newId = await reconnected;
        Assert.NotEqual(before, newId);
        // The server answers the handshake before it runs OnConnected, so it may list the new connection a moment later.
        await HubReconnect.WaitUntilConnectedToAsync(client, _dropper);
        Assert.Equal([newId!], _dropper.OpenConnectionIds);
        return afterDrop;
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AfterADrop_TheClientSubscribesAgainByItself_GetsTheJobsSnapshot_ThenItsLiveEvents(HttpTransportType transport)
    {
        var held = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "held"));
        await _server.Gate.WhenReachedAsync("held");
        var (client, events) = await ConnectAsync(transport);
        await client.SubscribeToJobAsync(held);
        await client.SubscribeToQueueAsync("custom");
        await events.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, held, p => p.Snapshot);

        var afterDrop = await DropAndReconnectAsync(client);

        // The job's state is sent anew: only a new subscription on the new connection sends a snapshot.
        var snapshot = await afterDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, held, p => p.Snapshot);
        Assert.Equal(("active", 10L, 5L, 50.0), (snapshot.State, snapshot.TotalItems ?? 0, snapshot.ItemsProcessed, snapshot.Percent ?? 0));
        await HubReconnect.WaitForSubscriptionsAsync(client, new HubSubscriptions(false, [held], ["custom"]));

        // Live events of the job subscribed before the drop.
        _server.Gate.Open("held");
        var progress = await afterDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, held, p => p.ItemsProcessed == 10);
        Assert.False(progress.Snapshot);
        var completed = await afterDrop.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, held);
        Assert.Equal((false, "completed", 200), (completed.Snapshot, completed.State, completed.StatusCode));
        // The snapshot, then live progress, then the end. How many live updates there are depends on timing: the first
        // after the gate opens may go out at once and the last one at the next pace tick, or both coalesce into one.
        var order = afterDrop.For(held).Select(e => e.Name).ToList();
        Assert.True(order.Count >= 3, string.Join(", ", order));
        Assert.All(order.SkipLast(1), name => Assert.Equal(JobEventNames.JobProgress, name));
        Assert.Equal(JobEventNames.JobCompleted, order[^1]);

        // Live events of a job of the queue subscribed before the drop, enqueued after it.
        var queued = await _server.Jobs.EnqueueAsync(CustomProgressHandler.Name, new CustomArgs("queued"));
        await afterDrop.WaitForAsync(JobEventNames.JobCreated, queued);
        await afterDrop.WaitForAsync(JobEventNames.JobStarted, queued);
        await afterDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, queued, p => p.Progress == 33.3);
        await afterDrop.WaitForAsync<CustomProgressPayload>(JobEventNames.CustomProgress, queued, c => c.Custom.GetProperty("batch").GetInt32() == 1);
        _server.Gate.Open("queued");
        await afterDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, queued, p => p.Progress == 100);
        var queuedDone = await afterDrop.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, queued);
        Assert.Equal("custom", queuedDone.Queue);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AfterADrop_GetSubscriptionsListsTheSameSubscriptions(HttpTransportType transport)
    {
        var first = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("a"));
        var second = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(4, "second"));
        var (client, events) = await ConnectAsync(transport);
        await client.SubscribeToJobAsync(second);
        await client.SubscribeToJobAsync(first);
        await client.SubscribeToQueueAsync("emails");
        await client.SubscribeToQueueAsync("critical");
        await client.SubscribeToAllAsync();
        var before = await client.GetSubscriptionsAsync();
        Assert.True(before.All);
        Assert.Equal([first, second], before.JobIds);
        Assert.Equal(["critical", "emails"], before.Queues);

        var afterDrop = await DropAndReconnectAsync(client);

        var after = await HubReconnect.WaitForSubscriptionsAsync(client, before);
        Assert.True(after.All);
        Assert.Equal(before.JobIds, after.JobIds);
        Assert.Equal(before.Queues, after.Queues);
        Assert.True(HubReconnect.Same(before, client.Subscriptions), $"The client's own record should match: {HubReconnect.Describe(client.Subscriptions)}");
        await afterDrop.WaitForAsync(JobEventNames.JobCompleted, first);
        await afterDrop.WaitForAsync(JobEventNames.JobProgress, second);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AfterADrop_WhatWasUnsubscribedIsNotRestored(HttpTransportType transport)
    {
        var kept = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "kept"));
        var dropped = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "dropped"));
        await _server.Gate.WhenReachedAsync("kept");
        await _server.Gate.WhenReachedAsync("dropped");
        var (client, events) = await ConnectAsync(transport);
        await client.SubscribeToJobAsync(kept);
        await client.SubscribeToJobAsync(dropped);
        await client.SubscribeToQueueAsync("critical");
        await client.SubscribeToQueueAsync("custom");
        await events.WaitForAsync(JobEventNames.JobProgress, dropped);
        await client.UnsubscribeFromJobAsync(dropped);
        await client.UnsubscribeFromQueueAsync("critical");

        var afterDrop = await DropAndReconnectAsync(client);

        await afterDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, kept, p => p.Snapshot);
        await HubReconnect.WaitForSubscriptionsAsync(client, new HubSubscriptions(false, [kept], ["custom"]));
        // Things happen to what was unsubscribed, then to a job still followed; events go out in order, so once the
        // followed job's completion arrives, anything of the others would have arrived before it.
        _server.Gate.Open("dropped");
        await _server.WaitForJobAsync(dropped, j => j.State == JobState.Completed, "completed");
        var failed = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(500, "not followed"));
        await _server.WaitForJobAsync(failed, j => j.State == JobState.Failed, "failed");
        _server.Gate.Open("kept");
        await afterDrop.WaitForAsync(JobEventNames.JobCompleted, kept);
        Assert.Empty(afterDrop.For(dropped));
        Assert.Empty(afterDrop.For(failed));
    }

    [Fact]
    public async Task ADropDuringTheResubscription_LosesNothing_TheNextReconnectRestoresEverything()
    {
        var held = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "held"));
        await _server.Gate.WhenReachedAsync("held");
        var (client, _) = await ConnectAsync(HttpTransportType.WebSockets);
        await client.SubscribeToQueueAsync("custom");
        await client.SubscribeToJobAsync(held);
        var wanted = await client.GetSubscriptionsAsync();

        // The first reconnect's job subscription is held on the server, and the connection cut again while it waits.
        var jobCallArrived = _dropper.HoldNextCallAsync(JobProgressHubMethods.SubscribeToJob);
        await DropAndReconnectAsync(client);
        await jobCallArrived;
        var afterSecondDrop = await DropAndReconnectAsync(client);

        await afterSecondDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, held, p => p.Snapshot);
        await HubReconnect.WaitForSubscriptionsAsync(client, wanted);
        _server.Gate.Open("held");
        await afterSecondDrop.WaitForAsync(JobEventNames.JobCompleted, held);
    }

    [Fact]
    public async Task AfterADrop_AJobDeletedMeanwhileIsSkipped_AndTheRestIsRestored()
    {
        var deleted = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("gone"));
        var held = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "held"));
        await _server.WaitForJobAsync(deleted, j => j.State == JobState.Completed, "completed");
        await _server.Gate.WhenReachedAsync("held");
        var (client, events) = await ConnectAsync(HttpTransportType.WebSockets);
        await client.SubscribeToJobAsync(deleted);
        await client.SubscribeToJobAsync(held);
        await client.SubscribeToQueueAsync("critical");
        Assert.True(await _server.Jobs.DeleteAsync(deleted, "rt-operator (operator)"));
        await events.WaitForAsync(JobEventNames.JobDeleted, deleted);

        var afterDrop = await DropAndReconnectAsync(client);

        // The deleted job is restored first (lowest id) and refused; the others still are restored.
        await afterDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, held, p => p.Snapshot);
        await HubReconnect.WaitForSubscriptionsAsync(client, new HubSubscriptions(false, [held], ["critical"]));
        Assert.Empty(afterDrop.For(deleted));
        var failed = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(500, "followed"));
        await afterDrop.WaitForAsync(JobEventNames.JobDeadLettered, failed);
    }
}
