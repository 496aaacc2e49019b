using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Realtime.Tests.Postgres;

/// <summary>
/// Two Jobwatch servers on one PostgreSQL schema, each with its own service provider, store, engine and event bus: a
/// worker node and an API-only node. A client of the API node sees, live, the jobs the worker node runs: their events
/// cross between the nodes only through LISTEN/NOTIFY.
/// </summary>
public sealed class CrossNodeTests : IAsyncLifetime
{
    private readonly PostgresNodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    private async Task<(RealtimeTestServer Worker, RealtimeTestServer Api)> StartNodesAsync()
    {
        var worker = await _nodes.StartAsync(o => o.WorkerId = "worker-node");
        var api = await _nodes.StartAsync(o => { o.RunWorkers = false; o.WorkerId = "api-node"; });
        await _nodes.WhenAllListeningAsync();
        return (worker, api);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AHubClientOfOneNode_SeesJobsRunOnAnotherNode(HttpTransportType transport)
    {
        var (worker, api) = await StartNodesAsync();
        await using var client = api.HubClient(transport);
        var events = new EventRecorder(client);
        await client.StartAsync();
        await client.SubscribeToQueueAsync("sync");

        var id = await api.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "cross"));

        var started = await events.WaitForAsync(JobEventNames.JobStarted, id);
        Assert.Equal("worker-node", started.WorkerId);
        var progress = await events.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, id, p => p.ItemsProcessed == 5);
        Assert.Equal(50, progress.Progress);
        worker.Gate.Open("cross");
        var completed = await events.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, id);
        Assert.Equal(("worker-node", 10L), (completed.WorkerId, completed.ItemsProcessed));
        Assert.True(completed.ProcessingTime > 0);
    }

    [Fact]
    public async Task SubscribingOnTheOtherNode_GivesTheRunningJobsStoredProgressAtOnce_ThenItsEnd_AlsoOverSse()
    {
        var (worker, api) = await StartNodesAsync();
        var id = await worker.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "snap"));
        await worker.Gate.WhenReachedAsync("snap");
        // The worker node writes progress to storage every flush interval; the API node reads it from there.
        await api.WaitForJobAsync(id, j => j.ItemsProcessed == 5, "half done in storage");
        await using var client = api.HubClient(HttpTransportType.WebSockets);
        var events = new EventRecorder(client);
        await client.StartAsync();
        using var http = api.Http();
        await using var stream = await SseStream.OpenAsync(http, $"api/v1/events?job={id}");

        await client.SubscribeToJobAsync(id);

        var snapshot = await events.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, id);
        Assert.Equal((true, "active", 5L, "worker-node"), (snapshot.Snapshot, snapshot.State, snapshot.ItemsProcessed, snapshot.WorkerId));
        var sseSnapshot = await stream.NextAsync();
        Assert.Equal((JobEventNames.JobProgress, true), (sseSnapshot.Event, sseSnapshot.Json.GetProperty("snapshot").GetBoolean()));

        worker.Gate.Open("snap");
        await events.WaitForAsync(JobEventNames.JobCompleted, id);
        var (sseDone, _) = await stream.NextMatchingAsync(e => e.Event == JobEventNames.JobCompleted);
        Assert.Equal(id, sseDone.JobId);
        Assert.Equal(JobState.Completed, (await api.Monitor.GetJobAsync(id))?.View.Job.State);
    }
}
