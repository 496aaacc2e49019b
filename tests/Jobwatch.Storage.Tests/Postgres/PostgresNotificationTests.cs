using System.Collections.Concurrent;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Storage.Postgres;
using Jobwatch.Storage.Postgres.Notifications;
using Npgsql;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>
/// Two nodes on one schema, each with its store, listener, signals and relay: wake-ups and events sent
/// by one arrive at the other through LISTEN/NOTIFY.
/// </summary>
public sealed class PostgresNotificationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2031, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(30);
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly List<IAsyncDisposable> _disposables = [];

    private sealed record Node(PostgresJobStore Store, PostgresNotifications Notifications, PostgresJobSignals Signals, PostgresEventRelay Relay);

    private async Task<(Node A, Node B)> StartTwoNodesAsync()
    {
        var a = Open();
        var b = Open();
        await a.Store.MigrateAsync();
        return (a, b);
    }

    private Node Open()
    {
        var store = new PostgresJobStore(PostgresTestDatabase.Options(_schema));
        var notifications = new PostgresNotifications(store);
        var relay = new PostgresEventRelay(notifications);
        // Disposed in reverse: relay, listener, then the store whose pool they use.
        _disposables.Add(store);
        _disposables.Add(notifications);
        _disposables.Add(relay);
        return new Node(store, notifications, new PostgresJobSignals(notifications), relay);
    }

    private static JobInsertParams Job(string queue, DateTimeOffset? runAt = null, int maxAttempts = 1) =>
        new() { Queue = queue, Name = "n", Type = "n", Payload = "{}", RunAt = runAt ?? T0, MaxAttempts = maxAttempts };

    private static async Task<ConcurrentQueue<string>> ListenForWakeUpsAsync(Node node)
    {
        var heard = new ConcurrentQueue<string>();
        node.Signals.OnJobsAvailable(heard.Enqueue);
        await node.Notifications.WhenListeningAsync().WaitAsync(ListenTimeout);
        return heard;
    }

    [Fact]
    public async Task Insert_WakesTheOtherNodeForDueQueuesOnly()
    {
        var (a, b) = await StartTwoNodesAsync();
        var heard = await ListenForWakeUpsAsync(b);

        await a.Store.JobInsertManyAsync(new JobInsertManyParams([Job("later", T0.AddHours(1)), Job("mail"), Job("mail")], T0));

        await PostgresTestDatabase.WaitUntilAsync(() => heard.Contains("mail"), "node B to hear the wake-up for queue 'mail'");
        // Both queues' notifications would have come in the insert's one transaction: "later" was not sent.
        Assert.DoesNotContain("later", heard);
        Assert.Single(heard, q => q == "mail");
    }

    [Fact]
    public async Task NotifyJobsAvailable_CallsLocalCallbacksAtOnce()
    {
        var (_, b) = await StartTwoNodesAsync();
        var heard = new List<string>();
        using var subscription = b.Signals.OnJobsAvailable(heard.Add);

        b.Signals.NotifyJobsAvailable("local");

        Assert.Equal(["local"], heard);
    }

    [Fact]
    public async Task EveryChangeThatMakesJobsRunnable_WakesTheOtherNode()
    {
        var (a, b) = await StartTwoNodesAsync();
        var heard = await ListenForWakeUpsAsync(b);

        async Task ExpectWakeAsync(string queue, Func<Task> change)
        {
            heard.Clear();
            await change();
            await PostgresTestDatabase.WaitUntilAsync(() => heard.Contains(queue), $"node B to hear the wake-up for '{queue}'");
        }

        // Promotion of a due delayed job.
        await a.Store.JobInsertManyAsync(new JobInsertManyParams([Job("promoted", T0.AddSeconds(10))], T0));
        await ExpectWakeAsync("promoted", () => a.Store.JobPromoteDueAsync(new JobPromoteParams(T0.AddSeconds(20))));

        // Release at shutdown, then a dead letter retried by an operator.
        await ExpectWakeAsync("released", () => a.Store.JobInsertManyAsync(new JobInsertManyParams([Job("released")], T0)));
        var job = Assert.Single(await a.Store.JobFetchAvailableAsync(new JobFetchParams("released", 1, "w", T0, T0.AddSeconds(30))));
        await ExpectWakeAsync("released", () => a.Store.JobFinishManyAsync(new JobFinishManyParams([JobFinish.Release(job.Id, "w", 1, null, T0)], T0)));
        job = Assert.Single(await a.Store.JobFetchAvailableAsync(new JobFetchParams("released", 1, "w", T0, T0.AddSeconds(30))));
        await a.Store.JobFinishManyAsync(new JobFinishManyParams([JobFinish.DeadLetter(job.Id, "w", 1, 500, "ERROR", "e", null, null, T0)], T0));
        await ExpectWakeAsync("released", () => a.Store.JobRetryAsync(new JobRetryParams(job.Id, T0)));

        // A stalled job rescued back to waiting.
        await ExpectWakeAsync("stalled", () => a.Store.JobInsertManyAsync(new JobInsertManyParams([Job("stalled", maxAttempts: 3)], T0)));
        Assert.Single(await a.Store.JobFetchAvailableAsync(new JobFetchParams("stalled", 1, "w", T0, T0.AddSeconds(30))));
        await ExpectWakeAsync("stalled", () => a.Store.JobRescueExpiredAsync(new JobRescueParams(T0.AddMinutes(1), 5, 503, "STALLED")));

        // Resuming a paused queue (pausing wakes nobody).
        await a.Store.QueueSetPausedAsync(new QueueSetPausedParams("paused", true, T0));
        await ExpectWakeAsync("paused", () => a.Store.QueueSetPausedAsync(new QueueSetPausedParams("paused", false, T0)));
    }

    [Fact]
    public async Task Listener_ReconnectsAfterItsConnectionIsKilled_AndCatchesUp()
    {
        var (a, b) = await StartTwoNodesAsync();
        var heard = await ListenForWakeUpsAsync(b);
        await a.Store.JobInsertManyAsync(new JobInsertManyParams([Job("before")], T0));
        await PostgresTestDatabase.WaitUntilAsync(() => heard.Contains("before"), "the first wake-up");
        var pid = b.Notifications.ListenerProcessId;
        Assert.NotEqual(0, pid);
        heard.Clear();

        await using (var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionString))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
            kill.Parameters.AddWithValue("pid", pid);
            Assert.True((bool)(await kill.ExecuteScalarAsync())!);
        }

        await PostgresTestDatabase.WaitUntilAsync(() => b.Notifications.Connections >= 2 && b.Notifications.ListenerProcessId != 0, "the listener to reconnect");
        // Queues seen before are woken once after a reconnect: their notifications may have been missed.
        await PostgresTestDatabase.WaitUntilAsync(() => heard.Contains("before"), "the catch-up wake-up after reconnecting");
        await a.Store.JobInsertManyAsync(new JobInsertManyParams([Job("after")], T0));
        await PostgresTestDatabase.WaitUntilAsync(() => heard.Contains("after"), "a wake-up through the new connection");
    }

    [Fact]
    public async Task Relay_DeliversEventsToTheOtherNodeInOrder_AndNotBackToItself()
    {
        var (a, b) = await StartTwoNodesAsync();
        var atA = new ConcurrentQueue<JobEvent>();
        var atB = new ConcurrentQueue<JobEvent>();
        a.Relay.OnRemoteEvent(atA.Enqueue);
        b.Relay.OnRemoteEvent(atB.Enqueue);
        await Task.WhenAll(a.Notifications.WhenListeningAsync(), b.Notifications.WhenListeningAsync()).WaitAsync(ListenTimeout);

        a.Relay.Forward(Event(JobEventKind.Created, 1));
        for (var i = 1; i <= 50; i++)
            a.Relay.Forward(Event(JobEventKind.Progress, 1) with { Progress = new JobProgressInfo(50, i, 0, null, null, null, null) });
        a.Relay.Forward(Event(JobEventKind.Completed, 1) with { StatusCode = 200, DurationMs = 12.5 });

        await PostgresTestDatabase.WaitUntilAsync(() => atB.Any(e => e.Kind == JobEventKind.Completed), "node B to receive the completed event");
        var events = atB.ToArray();
        Assert.Equal(JobEventKind.Created, events[0].Kind);
        Assert.Equal(JobEventKind.Completed, events[^1].Kind);
        Assert.Equal(200, events[^1].StatusCode);
        Assert.Equal(12.5, events[^1].DurationMs);
        Assert.Equal("mail", events[^1].Queue);
        Assert.Equal(T0, events[^1].At);
        var progress = events[1..^1];
        Assert.All(progress, e => Assert.Equal(JobEventKind.Progress, e.Kind));
        Assert.Equal(50, progress[^1].Progress!.ItemsSucceeded); // coalesced or not, the latest value arrives last

        // A marker from B: delivered to A after everything A's own relay sent before it.
        b.Relay.Forward(Event(JobEventKind.Created, 2));
        await PostgresTestDatabase.WaitUntilAsync(() => atA.Any(e => e.JobId == 2), "node A to receive B's event");
        Assert.All(atA, e => Assert.Equal(2, e.JobId));
        Assert.DoesNotContain(atB, e => e.JobId == 2);
    }

    [Fact]
    public async Task Relay_LargeEventsAreSplitAndTruncatedToFitNotifyPayloads()
    {
        var (a, b) = await StartTwoNodesAsync();
        var atB = new ConcurrentQueue<JobEvent>();
        b.Relay.OnRemoteEvent(atB.Enqueue);
        await b.Notifications.WhenListeningAsync().WaitAsync(ListenTimeout);

        const int count = 300;
        var error = new string('x', 3_000) + "ü";
        for (var i = 0; i < count; i++)
            a.Relay.Forward(Event(JobEventKind.Failed, i) with { Error = error });
        a.Relay.Forward(Event(JobEventKind.DeadLettered, count) with
        {
            Error = new string('e', 1_000_000),
            Progress = new JobProgressInfo(1, 0, 1, null, null, null, "{\"blob\":\"" + new string('p', 20_000) + "\"}"),
        });

        await PostgresTestDatabase.WaitUntilAsync(() => atB.Count == count + 1, $"node B to receive all {count + 1} events (got {atB.Count})");
        var received = atB.ToArray();
        Assert.Equal(Enumerable.Range(0, count + 1).Select(i => (long)i), received.Select(e => e.JobId));
        Assert.All(received[..count], e => Assert.Equal(error, e.Error));
        var huge = received[^1];
        Assert.NotNull(huge.Error);
        Assert.InRange(huge.Error.Length, 100, 1_100);
        Assert.Equal(1, a.Relay.TruncatedEvents);
        Assert.Equal(0, a.Relay.DroppedEvents);
    }

    private static JobEvent Event(JobEventKind kind, long jobId) => new()
    {
        Kind = kind,
        JobId = jobId,
        Queue = "mail",
        Name = "send_email",
        At = T0,
        State = kind == JobEventKind.Completed ? JobState.Completed : JobState.Active,
        Attempt = 1,
        MaxAttempts = 3,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--) await _disposables[i].DisposeAsync();
        await PostgresTestDatabase.DropSchemasAsync([_schema]);
    }
}
