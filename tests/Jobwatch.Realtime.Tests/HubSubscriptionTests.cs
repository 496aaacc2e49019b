using Jobwatch.Client;
using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jobwatch.Realtime.Tests;

/// <summary>Each hub method, over WebSockets and over long polling, with the .NET SignalR client against real Kestrel.</summary>
public sealed class HubSubscriptionTests : IAsyncLifetime
{
    private RealtimeTestServer _server = null!;
    private readonly List<JobwatchHubClient> _clients = [];

    public async Task InitializeAsync() => _server = await RealtimeTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        await _server.DisposeAsync();
    }

    private async Task<(JobwatchHubClient Client, EventRecorder Events)> ConnectAsync(HttpTransportType transport)
    {
        var client = _server.HubClient(transport);
        _clients.Add(client);
        var events = new EventRecorder(client);
        await client.StartAsync();
        return (client, events);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task SubscribeToRunningJob_SendsItsCurrentProgressAtOnce_ThenItsChanges(HttpTransportType transport)
    {
        var id = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "run"));
        await _server.Gate.WhenReachedAsync("run");
        var (client, events) = await ConnectAsync(transport);

        var subscriptions = await client.SubscribeToJobAsync(id);

        Assert.Equal([id], subscriptions.JobIds);
        var snapshot = await events.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, id);
        Assert.True(snapshot.Snapshot);
        Assert.Equal("active", snapshot.State);
        Assert.Equal((10L, 5L), (snapshot.TotalItems ?? 0, snapshot.ItemsProcessed));
        Assert.Equal(50, snapshot.Percent);
        Assert.Equal(50, snapshot.Progress);
        Assert.Equal("sync", snapshot.Queue);
        Assert.Equal(CountingHandler.Name, snapshot.Name);

        _server.Gate.Open("run");
        var completed = await events.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, id);
        Assert.False(completed.Snapshot);
        Assert.Equal((200, "SUCCESS"), (completed.StatusCode, completed.StatusLabel));
        Assert.Equal(10, completed.ItemsProcessed);
        Assert.True(completed.ProcessingTime > 0, $"processingTime was {completed.ProcessingTime}");
        var order = events.For(id).Select(e => e.Name).ToList();
        Assert.True(order.IndexOf(JobEventNames.JobProgress) < order.IndexOf(JobEventNames.JobCompleted), $"The snapshot must come first: {events.Describe(id)}");
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task SubscribeToFinishedJob_SendsItsFinalStateAtOnce(HttpTransportType transport)
    {
        var done = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("x"));
        var failed = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(404, "no such wallet"));
        await _server.WaitForJobAsync(done, j => j.State == JobState.Completed, "completed");
        await _server.WaitForJobAsync(failed, j => j.State == JobState.Failed, "failed");
        var (client, events) = await ConnectAsync(transport);

        await client.SubscribeToJobAsync(done);
        await client.SubscribeToJobAsync(failed);

        var completed = await events.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, done);
        Assert.True(completed.Snapshot);
        Assert.Equal("completed", completed.State);
        Assert.NotNull(completed.ProcessingTime);
        var fail = await events.WaitForAsync<JobFailedPayload>(JobEventNames.JobFailed, failed);
        Assert.True(fail.Snapshot);
        Assert.Equal(("no such wallet", false, 1, 404, "NOT_FOUND"), (fail.Error, fail.WillRetry, fail.Attempt, fail.StatusCode, fail.StatusLabel));
        var dead = await events.WaitForAsync<JobDeadLetteredPayload>(JobEventNames.JobDeadLettered, failed);
        Assert.Equal("failed", dead.State);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task SubscribeToQueue_DeliversThatQueuesJobsOnly(HttpTransportType transport)
    {
        var (client, events) = await ConnectAsync(transport);
        var subscriptions = await client.SubscribeToQueueAsync("critical");
        Assert.Equal(["critical"], subscriptions.Queues);

        var other = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await _server.WaitForJobAsync(other, j => j.State == JobState.Completed, "completed");
        var failed = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(500, "kaput"));

        await events.WaitForAsync(JobEventNames.JobCreated, failed);
        await events.WaitForAsync(JobEventNames.JobStarted, failed);
        await events.WaitForAsync<JobDeadLetteredPayload>(JobEventNames.JobDeadLettered, failed, d => d.Error == "kaput");
        // The other queue's job finished before this one was enqueued, so its events would have come first.
        Assert.Empty(events.For(other));
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task SubscribeToAll_DeliversEveryJob_UntilUnsubscribeFromAll(HttpTransportType transport)
    {
        var (client, events) = await ConnectAsync(transport);
        Assert.True((await client.SubscribeToAllAsync()).All);

        var echo = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        var failed = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs());
        await events.WaitForAsync(JobEventNames.JobCompleted, echo);
        await events.WaitForAsync(JobEventNames.JobDeadLettered, failed);

        var none = await client.UnsubscribeFromAllAsync();
        Assert.False(none.All);
        var later = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await _server.WaitForJobAsync(later, j => j.State == JobState.Completed, "completed");
        // A sentinel the connection does follow: once its snapshot arrives, anything of the later job would have arrived too.
        await client.SubscribeToJobAsync(echo);
        await events.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, echo, c => c.Snapshot);
        Assert.Empty(events.For(later));
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task UnsubscribeFromJob_StopsItsEvents(HttpTransportType transport)
    {
        var dropped = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "dropped"));
        var kept = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "kept"));
        await _server.Gate.WhenReachedAsync("dropped");
        await _server.Gate.WhenReachedAsync("kept");
        var (client, events) = await ConnectAsync(transport);
        await client.SubscribeToJobAsync(dropped);
        await client.SubscribeToJobAsync(kept);
        await events.WaitForAsync(JobEventNames.JobProgress, dropped);

        var left = await client.UnsubscribeFromJobAsync(dropped);

        Assert.Equal([kept], left.JobIds);
        _server.Gate.Open("dropped");
        await _server.WaitForJobAsync(dropped, j => j.State == JobState.Completed, "completed");
        _server.Gate.Open("kept");
        await events.WaitForAsync(JobEventNames.JobCompleted, kept);
        Assert.DoesNotContain(events.For(dropped), e => e.Name == JobEventNames.JobCompleted || e.Payload.ItemsProcessed == 10);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task UnsubscribeFromQueue_StopsItsEvents(HttpTransportType transport)
    {
        var (client, events) = await ConnectAsync(transport);
        await client.SubscribeToQueueAsync("critical");
        await client.SubscribeToQueueAsync("default");
        var first = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs());
        await events.WaitForAsync(JobEventNames.JobDeadLettered, first);

        var left = await client.UnsubscribeFromQueueAsync("critical");

        Assert.Equal(["default"], left.Queues);
        var second = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs());
        await _server.WaitForJobAsync(second, j => j.State == JobState.Failed, "failed");
        var sentinel = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await events.WaitForAsync(JobEventNames.JobCompleted, sentinel);
        Assert.Empty(events.For(second));
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task GetSubscriptions_ReportsWhatTheConnectionFollows(HttpTransportType transport)
    {
        var id = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        var (client, _) = await ConnectAsync(transport);
        AssertNone(await client.GetSubscriptionsAsync());

        await client.SubscribeToJobAsync(id);
        await client.SubscribeToQueueAsync("emails");
        await client.SubscribeToAllAsync();

        var all = await client.GetSubscriptionsAsync();
        Assert.True(all.All);
        Assert.Equal([id], all.JobIds);
        Assert.Equal(["emails"], all.Queues);
        await client.UnsubscribeFromAllAsync();
        AssertNone(await client.GetSubscriptionsAsync());
    }

    [Fact]
    public async Task BadSubscriptions_AreRefusedWithAMessageSayingWhatToSend()
    {
        var (client, _) = await ConnectAsync(HttpTransportType.WebSockets);

        var missing = await Assert.ThrowsAsync<HubException>(() => client.SubscribeToJobAsync(987654));
        Assert.Contains("Job 987654 does not exist", missing.Message);
        var notANumber = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<HubSubscriptions>(JobProgressHubMethods.SubscribeToJob, new { jobId = "similarity-ABC123" }));
        Assert.Contains("positive whole number", notANumber.Message);
        var noQueue = await Assert.ThrowsAsync<HubException>(() => client.SubscribeToQueueAsync(" "));
        Assert.Contains("queueName", noQueue.Message);
        AssertNone(await client.GetSubscriptionsAsync());

        // Seed 003 sends ids as strings; digits are accepted.
        var id = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        var asString = await client.Connection.InvokeAsync<HubSubscriptions>(JobProgressHubMethods.SubscribeToJob, new { jobId = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal([id], asString.JobIds);
    }

    [Fact]
    public async Task Subscriptions_AreCappedPerConnection()
    {
        await using var server = await RealtimeTestServer.StartAsync(o => o.Realtime = r => r.MaxSubscriptionsPerConnection = 2);
        await using var client = server.HubClient(HttpTransportType.WebSockets);
        await client.StartAsync();
        await client.SubscribeToQueueAsync("a");
        await client.SubscribeToQueueAsync("b");

        var tooMany = await Assert.ThrowsAsync<HubException>(() => client.SubscribeToQueueAsync("c"));

        Assert.Contains("MaxSubscriptionsPerConnection", tooMany.Message);
        Assert.True((await client.SubscribeToAllAsync()).All);
    }

    private static void AssertNone(HubSubscriptions s)
    {
        Assert.False(s.All);
        Assert.Empty(s.JobIds);
        Assert.Empty(s.Queues);
    }
}
