using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;

namespace Jobwatch.Realtime.Tests.Client;

/// <summary>
/// <see cref="Jobwatch.Client.JobwatchHubClient"/> across a server restart: the server stops (the client loses it), a
/// new one starts on the same port with the same SQLite file, and the client reconnects to it and follows, there, the
/// jobs and queues it followed before, without the caller doing anything.
/// </summary>
public sealed class HubClientServerRestartTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "jobwatch-rt-restart-" + Guid.NewGuid().ToString("N")[..8]);

    public HubClientServerRestartTests() => Directory.CreateDirectory(_dir);

    private string StorePath => Path.Combine(_dir, "jobs.db");

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AfterARestart_TheClientFollowsItsJobsAndQueuesOnTheNewServer(HttpTransportType transport)
    {
        // The first server runs no workers, so the jobs are still waiting when it goes and run on its successor.
        var first = await RealtimeTestServer.StartAsync(o => { o.SqlitePath = StorePath; o.RunWorkers = false; });
        RealtimeTestServer? second = null;
        var firstStopped = false;
        await using var client = HubReconnect.Client(first.BaseAddress, transport);
        try
        {
            var followed = await first.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "restart"));
            var unfollowed = await first.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("not followed"));
            var events = new EventRecorder(client);
            await client.StartAsync();
            await client.SubscribeToJobAsync(followed);
            await client.SubscribeToJobAsync(unfollowed);
            await client.SubscribeToQueueAsync("critical");
            await client.UnsubscribeFromJobAsync(unfollowed);
            var waiting = await events.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, followed, p => p.Snapshot);
            Assert.Equal("waiting", waiting.State);
            var afterDrop = new EventRecorder(client);
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.Connection.Reconnecting += _ => { lost.TrySetResult(); return Task.CompletedTask; };
            var secondSide = new HubConnectionDropper();

            await first.DisposeAsync();
            firstStopped = true;
            await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));
            second = await RealtimeTestServer.StartAsync(o => { o.SqlitePath = StorePath; o.Port = first.BaseAddress.Port; o.Services = secondSide.AddTo; });

            await HubReconnect.WaitUntilConnectedToAsync(client, secondSide);
            await HubReconnect.WaitForSubscriptionsAsync(client, new(false, [followed], ["critical"]));
            // Its state sent anew (by the new server, or already by the old one if the client got back to it while it was
            // still shutting down: either way only a subscription made again sends it).
            await afterDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, followed, p => p.Snapshot);

            // Live events from the new server's workers for the job followed before the restart.
            await second.Gate.WhenReachedAsync("restart");
            await second.WaitForJobAsync(unfollowed, j => j.State == JobState.Completed, "completed");
            second.Gate.Open("restart");
            var progress = await afterDrop.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, followed, p => p.ItemsProcessed == 10);
            Assert.False(progress.Snapshot);
            var completed = await afterDrop.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, followed);
            Assert.Equal((false, 200), (completed.Snapshot, completed.StatusCode));
            // And for a new job of the queue followed before the restart.
            var failed = await second.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(500, "after the restart"));
            await afterDrop.WaitForAsync(JobEventNames.JobCreated, failed);
            await afterDrop.WaitForAsync<JobDeadLetteredPayload>(JobEventNames.JobDeadLettered, failed, d => d.Error == "after the restart");
            // The job unsubscribed before the restart finished before the followed one: its events would have come first.
            Assert.Empty(afterDrop.For(unfollowed));
        }
        finally
        {
            await client.StopAsync();
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on a slow machine; the temp folder is cleaned eventually.
        }
    }
}
