using System.Net;
using System.Text.Json;
using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;

namespace Jobwatch.Realtime.Tests;

/// <summary><c>GET /api/v1/events</c> read with HttpClient as any non-.NET client would: filters, snapshots, ids and Last-Event-ID resume.</summary>
public sealed class EventStreamTests : IAsyncLifetime
{
    private RealtimeTestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await RealtimeTestServer.StartAsync(o => o.Realtime = r => r.EventStreamKeepAlive = TimeSpan.FromSeconds(1));
        _http = _server.Http();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AJobStream_StartsWithItsCurrentState_ThenItsChanges()
    {
        var id = await _server.Jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10, "sse"));
        await _server.Gate.WhenReachedAsync("sse");

        await using var stream = await SseStream.OpenAsync(_http, $"api/v1/events?job={id}");

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        var snapshot = await stream.NextAsync();
        Assert.Equal(JobEventNames.JobProgress, snapshot.Event);
        Assert.True(snapshot.Json.GetProperty("snapshot").GetBoolean());
        Assert.Equal((id, 5, 50.0), (snapshot.JobId, snapshot.Json.GetProperty("itemsProcessed").GetInt32(), snapshot.Json.GetProperty("progress").GetDouble()));
        Assert.Matches("^[0-9a-f]{8}-[0-9]+$", snapshot.Id);

        _server.Gate.Open("sse");
        var (completed, _) = await stream.NextMatchingAsync(e => e.Event == JobEventNames.JobCompleted);
        Assert.Equal(id, completed.JobId);
        Assert.False(completed.Json.GetProperty("snapshot").GetBoolean());
        Assert.True(completed.Json.GetProperty("processingTime").GetDouble() > 0);
        Assert.True(Seq(completed.Id) > Seq(snapshot.Id), "Ids grow with the stream");
    }

    [Fact]
    public async Task AQueueStream_CarriesThatQueueOnly_AndAFinishedJobStreamItsFinalState()
    {
        await using var critical = await SseStream.OpenAsync(_http, "api/v1/events?queue=critical");
        var other = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await _server.WaitForJobAsync(other, j => j.State == JobState.Completed, "completed");
        var failed = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(500, "disk full"));

        var (dead, before) = await critical.NextMatchingAsync(e => e.Event == JobEventNames.JobDeadLettered);
        Assert.Equal(failed, dead.JobId);
        Assert.All(before, e => Assert.Equal(failed, e.JobId));
        var failure = before.Single(e => e.Event == JobEventNames.JobFailed);
        Assert.Equal(("disk full", false), (failure.Json.GetProperty("error").GetString(), failure.Json.GetProperty("willRetry").GetBoolean()));

        await using var finished = await SseStream.OpenAsync(_http, $"api/v1/events?job={other}");
        var final = await finished.NextAsync();
        Assert.Equal((JobEventNames.JobCompleted, other, true), (final.Event, final.JobId, final.Json.GetProperty("snapshot").GetBoolean()));
    }

    [Fact]
    public async Task ReconnectingWithLastEventId_DeliversExactlyWhatWasMissed()
    {
        var first = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        string lastId;
        await using (var stream = await SseStream.OpenAsync(_http, "api/v1/events?queue=default"))
        {
            await _server.WaitForJobAsync(first, j => j.State == JobState.Completed, "completed");
            var second = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
            var (created, _) = await stream.NextMatchingAsync(e => e.Event == JobEventNames.JobCreated && e.JobId == second);
            lastId = created.Id!;
        }
        // While disconnected: the second job runs on, a third comes and goes.
        var third = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await _server.WaitForJobAsync(third, j => j.State == JobState.Completed, "completed");

        await using var resumed = await SseStream.OpenAsync(_http, "api/v1/events?queue=default", lastEventId: lastId);
        var (thirdDone, missed) = await resumed.NextMatchingAsync(e => e.Event == JobEventNames.JobCompleted && e.JobId == third);

        var replayed = missed.Append(thirdDone).ToList();
        Assert.DoesNotContain(replayed, e => e.Event == JobEventNames.StreamReset);
        Assert.DoesNotContain(replayed, e => e.JobId == first);
        Assert.All(replayed, e => Assert.True(Seq(e.Id) > Seq(lastId), $"{e.Id} is not after {lastId}"));
        Assert.Contains(replayed, e => e.Event == JobEventNames.JobCompleted && e.JobId != third);
        Assert.Contains(replayed, e => e.Event == JobEventNames.JobCreated && e.JobId == third);
        Assert.Equal(replayed.Select(e => Seq(e.Id)).Order(), replayed.Select(e => Seq(e.Id)));
    }

    [Fact]
    public async Task AnUnknownLastEventId_GivesAResetEvent_ThenCurrentState()
    {
        var id = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await _server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");

        await using var stream = await SseStream.OpenAsync(_http, $"api/v1/events?job={id}", lastEventId: "0badf00d-17");

        var reset = await stream.NextAsync();
        Assert.Equal(JobEventNames.StreamReset, reset.Event);
        Assert.Contains("was not issued by this server process", reset.Json.GetProperty("reason").GetString());
        var state = await stream.NextAsync();
        Assert.Equal((JobEventNames.JobCompleted, id), (state.Event, state.JobId));
        Assert.Equal(reset.Id, state.Id);
    }

    [Fact]
    public async Task AnIdleStream_SendsKeepAliveComments()
    {
        await using var stream = await SseStream.OpenAsync(_http, "api/v1/events?queue=nothing-happens-here");
        var comment = await stream.NextAsync(includeComments: true);
        Assert.Equal("keepalive", comment.Comment);
    }

    [Theory]
    [InlineData("api/v1/events?job=abc", HttpStatusCode.BadRequest, "invalid-parameter")]
    [InlineData("api/v1/events?job=0", HttpStatusCode.BadRequest, "positive whole numbers")]
    [InlineData("api/v1/events?job=987654", HttpStatusCode.NotFound, "Job 987654 does not exist")]
    public async Task BadFilters_GetAProblemSayingWhatToSend(string url, HttpStatusCode status, string detail)
    {
        using var response = await _http.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, await response.Content.ReadAsStringAsync());
    }

    private static long Seq(string? id) => long.Parse(id![(id!.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
