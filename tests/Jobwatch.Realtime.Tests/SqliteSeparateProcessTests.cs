using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;

namespace Jobwatch.Realtime.Tests;

/// <summary>
/// What docs/realtime.md promises for SQLite: events are live only for jobs run in the server's own process. A worker in
/// another process on the same file (here: another host with its own service provider) changes storage, which the server
/// shows on subscribing (snapshot), but it pushes none of that worker's events.
/// </summary>
public sealed class SqliteSeparateProcessTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "jobwatch-rt-shared-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<RealtimeTestServer> _nodes = [];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned with the temp folder eventually.
        }
    }

    [Fact]
    public async Task AnotherProcessesJob_ShowsItsStoredStateOnSubscribing_ButNoLiveEvents()
    {
        var file = Path.Combine(_dir, "jobs.db");
        var worker = await RealtimeTestServer.StartAsync(o => { o.SqlitePath = file; o.WorkerId = "other-process"; });
        _nodes.Add(worker);
        var server = await RealtimeTestServer.StartAsync(o => { o.SqlitePath = file; o.RunWorkers = false; });
        _nodes.Add(server);
        await using var client = server.HubClient(HttpTransportType.WebSockets);
        var events = new EventRecorder(client);
        await client.StartAsync();
        await client.SubscribeToAllAsync();

        var id = await worker.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "elsewhere"));
        await worker.Gate.WhenReachedAsync("elsewhere");
        await server.WaitForJobAsync(id, j => j.ItemsProcessed == 5, "half done in storage");
        await client.SubscribeToJobAsync(id);
        var snapshot = await events.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, id);
        Assert.Equal((true, 5L, "other-process"), (snapshot.Snapshot, snapshot.ItemsProcessed, snapshot.WorkerId));

        worker.Gate.Open("elsewhere");
        await server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed in storage");
        // A job enqueued on the server itself is live at once; by then nothing of the other process's job came.
        var local = await server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await events.WaitForAsync(JobEventNames.JobCreated, local);
        Assert.All(events.For(id), e => Assert.True(e.Payload.Snapshot, $"A live event crossed processes without a relay: {events.Describe(id)}"));

        // Subscribing again reads storage: the final state.
        await client.SubscribeToJobAsync(id);
        var final = await events.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, id);
        Assert.True(final.Snapshot);
    }
}
