using System.Text.Json;
using Jobwatch.Client;
using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Jobwatch.Runs;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Realtime.Tests;

/// <summary>Each server event, with its payload, over WebSockets and over long polling.</summary>
public sealed class HubEventTests : IAsyncLifetime
{
    private RealtimeTestServer _server = null!;
    private JobwatchHubClient? _client;

    public async Task InitializeAsync() => _server = await RealtimeTestServer.StartAsync(o => o.Engine = e => e.RescueInterval = TimeSpan.FromMilliseconds(200));

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        await _server.DisposeAsync();
    }

    private async Task<EventRecorder> SubscribeToQueueAsync(HttpTransportType transport, string queue)
    {
        _client = _server.HubClient(transport);
        var events = new EventRecorder(_client);
        await _client.StartAsync();
        await _client.SubscribeToQueueAsync(queue);
        return events;
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AJobsLife_CreatedStartedProgressCompleted(HttpTransportType transport)
    {
        var events = await SubscribeToQueueAsync(transport, "sync");

        var id = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "life"), new Jobwatch.Client.EnqueueOptions { CreatedBy = "OSINT-GUILD-ROSTER" });

        var created = await events.WaitForAsync(JobEventNames.JobCreated, id);
        Assert.Equal(("waiting", "sync", CountingHandler.Name, "sync", "OSINT-GUILD-ROSTER"), (created.State, created.Queue, created.Name, created.Type, created.CreatedBy));
        var started = await events.WaitForAsync(JobEventNames.JobStarted, id);
        Assert.Equal(("active", 1), (started.State, started.Attempt));
        Assert.False(string.IsNullOrEmpty(started.WorkerId));
        var half = await events.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, id, p => p.ItemsProcessed == 5);
        Assert.Equal((10L, 5L, 0L, 50.0, 50.0), (half.TotalItems ?? 0, half.ItemsSucceeded, half.ItemsFailed, half.Percent ?? 0, half.Progress ?? 0));
        Assert.False(half.Snapshot);
        Assert.True(half.Timestamp > DateTimeOffset.UtcNow.AddMinutes(-1));

        _server.Gate.Open("life");
        var completed = await events.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, id);
        Assert.Equal(("completed", 200, "SUCCESS", 100.0), (completed.State, completed.StatusCode, completed.StatusLabel, completed.Percent ?? 0));
        Assert.True(completed.ProcessingTime > 0);
        Assert.Equal("OSINT-GUILD-ROSTER", completed.CreatedBy);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task CustomProgress_CarriesTheHandlersObject(HttpTransportType transport)
    {
        var events = await SubscribeToQueueAsync(transport, "custom");

        var id = await _server.Jobs.EnqueueAsync(CustomProgressHandler.Name, new CustomArgs("custom"));

        var first = await events.WaitForAsync<CustomProgressPayload>(JobEventNames.CustomProgress, id);
        Assert.Equal((1, 3, "fetching"), (first.Custom.GetProperty("batch").GetInt32(), first.Custom.GetProperty("totalBatches").GetInt32(), first.Custom.GetProperty("phase").GetString()));
        await events.WaitForAsync<JobProgressPayload>(JobEventNames.JobProgress, id, p => p.Progress == 33.3);
        _server.Gate.Open("custom");
        var last = await events.WaitForAsync<CustomProgressPayload>(JobEventNames.CustomProgress, id, c => c.Custom.GetProperty("batch").GetInt32() == 3);
        Assert.Equal("done", last.Custom.GetProperty("phase").GetString());
        await events.WaitForAsync(JobEventNames.JobCompleted, id);
        // Sent when the object changes, not again with every percent update.
        Assert.Equal(2, events.For(id).Count(e => e.Name == JobEventNames.CustomProgress));
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AFinalFailure_IsJobFailedWithoutRetry_ThenDeadLettered(HttpTransportType transport)
    {
        var events = await SubscribeToQueueAsync(transport, "critical");

        var id = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(404, "wallet 0xabc not found"));

        var failed = await events.WaitForAsync<JobFailedPayload>(JobEventNames.JobFailed, id);
        Assert.Equal(("wallet 0xabc not found", 1, 1, false, 404, "NOT_FOUND"), (failed.Error, failed.Attempt, failed.MaxAttempts, failed.WillRetry, failed.StatusCode, failed.StatusLabel));
        Assert.Null(failed.RetryAt);
        Assert.NotNull(failed.ProcessingTime);
        var dead = await events.WaitForAsync<JobDeadLetteredPayload>(JobEventNames.JobDeadLettered, id);
        Assert.Equal(("failed", "wallet 0xabc not found"), (dead.State, dead.Error));
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task ARetryableFailure_IsJobFailedWithRetry_ThenRetrying_ThenTheNextAttempt(HttpTransportType transport)
    {
        var events = await SubscribeToQueueAsync(transport, "flaky");

        var id = await _server.Jobs.EnqueueAsync(FlakyHandler.Name, new FlakyArgs("slow down"));

        var failed = await events.WaitForAsync<JobFailedPayload>(JobEventNames.JobFailed, id);
        Assert.Equal((true, 1, 429, "RATE_LIMITED", "slow down"), (failed.WillRetry, failed.Attempt, failed.StatusCode, failed.StatusLabel, failed.Error));
        Assert.NotNull(failed.RetryAt);
        var retrying = await events.WaitForAsync<JobRetryingPayload>(JobEventNames.JobRetrying, id);
        Assert.Equal(("delayed", failed.RetryAt, "slow down"), (retrying.State, retrying.RetryAt, retrying.Error));
        await events.WaitForAsync(JobEventNames.JobStarted, id, 2);
        var completed = await events.WaitForAsync<JobCompletedPayload>(JobEventNames.JobCompleted, id);
        Assert.Equal(2, completed.Attempt);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task OperatorActions_AreCancelledRetriedAndDeleted(HttpTransportType transport)
    {
        _client = _server.HubClient(transport);
        var events = new EventRecorder(_client);
        await _client.StartAsync();
        await _client.SubscribeToAllAsync();

        var running = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "never"));
        await events.WaitForAsync(JobEventNames.JobStarted, running);
        await _server.Jobs.CancelAsync(running, "rt-operator (operator)");
        var cancelled = await events.WaitForAsync(JobEventNames.JobCancelled, running);
        Assert.Equal("cancelled", cancelled.State);

        var failed = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs());
        await events.WaitForAsync(JobEventNames.JobDeadLettered, failed);
        await _server.Jobs.RetryAsync(failed, "rt-operator (operator)");
        var retried = await events.WaitForAsync(JobEventNames.JobRetried, failed);
        Assert.Equal("waiting", retried.State);

        var done = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await events.WaitForAsync(JobEventNames.JobCompleted, done);
        Assert.True(await _server.Jobs.DeleteAsync(done, "rt-operator (operator)"));
        await events.WaitForAsync(JobEventNames.JobDeleted, done);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task ASilentExternalRun_IsStalled_ThenDeadLettered(HttpTransportType transport)
    {
        var events = await SubscribeToQueueAsync(transport, "external");

        var run = await _server.Services.GetRequiredService<IRunReporter>().StartAsync(new RunOptions
        {
            Name = "nightly_import",
            TotalItems = 100,
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
            CreatedBy = "cron",
        });
        run.ItemSucceeded(40);

        var started = await events.WaitForAsync(JobEventNames.JobStarted, run.Id);
        Assert.True(started.External);
        var stalled = await events.WaitForAsync<JobStalledPayload>(JobEventNames.JobStalled, run.Id);
        Assert.False(stalled.Requeued);
        Assert.Equal((503, "STALLED"), (stalled.StatusCode ?? 0, stalled.StatusLabel));
        await events.WaitForAsync(JobEventNames.JobDeadLettered, run.Id);
    }

    [Fact]
    public async Task Payloads_UseSeed003CamelCaseNames()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_server.BaseAddress, "job-progress"), HttpTransportType.WebSockets,
                o => o.AccessTokenProvider = () => Task.FromResult<string?>(RealtimeTestServer.Secret(AspNetCore.Auth.JobwatchRole.Viewer)))
            .Build();
        await using var _ = connection;
        var progress = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var completed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The handler reports 0 %, 25 % and 50 % in a burst; whether the first reaches the feed before the burst coalesces
        // is timing, so wait for the 50 % update the handler holds at.
        connection.On<JsonElement>(JobEventNames.JobProgress, e =>
        {
            if (e.GetProperty("progress").GetDouble() == 50)
            {
                progress.TrySetResult(e);
            }
        });
        connection.On<JsonElement>(JobEventNames.JobCompleted, e => completed.TrySetResult(e));
        await connection.StartAsync();
        await connection.InvokeAsync<JsonElement>(JobProgressHubMethods.SubscribeToQueue, new { queueName = "sync" });

        var id = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(4, "names"));
        var p = await progress.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _server.Gate.Open("names");
        var c = await completed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(id, p.GetProperty("jobId").GetInt64());
        Assert.Equal(50, p.GetProperty("progress").GetDouble());
        string[] common = ["jobId", "queue", "name", "type", "state", "attempt", "maxAttempts", "statusCode", "statusLabel", "createdBy", "updatedBy",
            "workerId", "external", "timestamp", "snapshot", "totalItems", "itemsProcessed", "itemsSucceeded", "itemsFailed", "percent", "itemsPerSecond", "etaSeconds"];
        Assert.Equal(Sorted([.. common, "progress"]), Names(p));
        Assert.Equal(Sorted([.. common, "processingTime"]), Names(c));
        Assert.True(c.GetProperty("processingTime").GetDouble() > 0);
    }

    private static string[] Sorted(string[] names) => names.Order(StringComparer.Ordinal).ToArray();

    private static string[] Names(JsonElement e) => Sorted(e.EnumerateObject().Select(x => x.Name).ToArray());
}
