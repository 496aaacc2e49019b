using System.Net;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Contracts.Events;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Realtime.Tests;

/// <summary>The hub and the stream take the API's tokens (viewer or above), from a header or the query, never log them, and check origins.</summary>
public sealed class HubAuthTests : IAsyncLifetime
{
    private RealtimeTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeTestServer.StartAsync(o =>
    {
        o.CaptureLevel = LogLevel.Trace;
        o.Realtime = r => r.AllowedOrigins.Add("https://dashboard.example.com");
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task WithoutAToken_TheHubAnswers401(HttpTransportType transport)
    {
        await using var client = _server.HubClient(transport, role: null);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AWrongToken_Is401_AndAReporterToken403()
    {
        await using var wrong = new HubConnectionBuilder()
            .WithUrl(new Uri(_server.BaseAddress, "job-progress"), o => o.AccessTokenProvider = () => Task.FromResult<string?>("not-a-token"))
            .Build();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HttpRequestException>(() => wrong.StartAsync())).StatusCode);

        await using var reporter = _server.HubClient(HttpTransportType.WebSockets, JobwatchRole.Reporter);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<HttpRequestException>(() => reporter.StartAsync())).StatusCode);

        using var sse = _server.Http(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sse.GetAsync("api/v1/events")).StatusCode);
        using var sseReporter = _server.Http(JobwatchRole.Reporter);
        Assert.Equal(HttpStatusCode.Forbidden, (await sseReporter.GetAsync("api/v1/events")).StatusCode);
    }

    [Theory]
    [InlineData(JobwatchRole.Viewer)]
    [InlineData(JobwatchRole.Operator)]
    [InlineData(JobwatchRole.Admin)]
    public async Task ReadingRoles_CanSubscribe(JobwatchRole role)
    {
        var id = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await _server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");
        await using var client = _server.HubClient(HttpTransportType.WebSockets, role);
        var events = new EventRecorder(client);
        await client.StartAsync();
        await client.SubscribeToJobAsync(id);
        await events.WaitForAsync(JobEventNames.JobCompleted, id);
    }

    /// <summary>
    /// Browsers must put the token in the query. Everything the server logs, at every level and category (hosting logs each
    /// request URL at Information; Kestrel, routing, SignalR and auth more at Debug and Trace), is searched for the secrets.
    /// </summary>
    [Fact]
    public async Task ATokenInTheQuery_Works_AndNeverAppearsInTheLogs()
    {
        var id = await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs());
        await _server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");
        var viewer = RealtimeTestServer.Secret(JobwatchRole.Viewer);
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");

        foreach (var transport in new[] { HttpTransportType.WebSockets, HttpTransportType.LongPolling, HttpTransportType.ServerSentEvents })
        {
            await using var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(_server.BaseAddress, $"job-progress?access_token={viewer}&client=browser"), transport)
                .Build();
            var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.On<System.Text.Json.JsonElement>(JobEventNames.JobCompleted, _ => completed.TrySetResult());
            await connection.StartAsync();
            await connection.InvokeAsync<HubSubscriptions>(JobProgressHubMethods.SubscribeToJob, new { jobId = id });
            await completed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        await using var rejected = new HubConnectionBuilder().WithUrl(new Uri(_server.BaseAddress, $"job-progress?access_token={wrong}"), HttpTransportType.WebSockets).Build();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HttpRequestException>(() => rejected.StartAsync())).StatusCode);
        using var http = _server.Http(null);
        await using (var stream = await SseStream.OpenAsync(http, $"api/v1/events?job={id}&access_token={viewer}"))
        {
            Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
            Assert.Equal(JobEventNames.JobCompleted, (await stream.NextAsync()).Event);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"api/v1/events?access_token={wrong}")).StatusCode);

        var lines = _server.Logs.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("Request starting", StringComparison.Ordinal) && l.Contains("/job-progress", StringComparison.Ordinal) && l.Contains("client=browser", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Request starting", StringComparison.Ordinal) && l.Contains("/api/v1/events", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug", StringComparison.Ordinal) || l.StartsWith("Trace", StringComparison.Ordinal));
        var leaks = lines.Where(l => l.Contains(viewer, StringComparison.Ordinal) || l.Contains(wrong, StringComparison.Ordinal) || l.Contains("access_token=", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.True(leaks.Length == 0, "A token reached the logs:\n" + string.Join('\n', leaks.Take(5)));
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AForeignOrigin_IsRefused_OwnAndConfiguredOriginsAndNoOriginAreAdmitted(HttpTransportType transport)
    {
        var own = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using (var foreign = _server.HubClient(transport, configure: o => o.Headers["Origin"] = "https://evil.example"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<HttpRequestException>(() => foreign.StartAsync())).StatusCode);
        }
        foreach (var origin in new[] { own, "https://dashboard.example.com", "HTTPS://Dashboard.Example.com:443" })
        {
            await using var client = _server.HubClient(transport, configure: o => o.Headers["Origin"] = origin);
            await client.StartAsync();
            Assert.False((await client.GetSubscriptionsAsync()).All);
        }

        using var http = _server.Http();
        var refused = await SseStream.OpenAsync(http, "api/v1/events", origin: "https://evil.example");
        await using (refused)
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
            Assert.Contains("origin-not-allowed", await refused.ReadToEndAsync());
        }
        await using var admitted = await SseStream.OpenAsync(http, "api/v1/events", origin: own);
        Assert.Equal(HttpStatusCode.OK, admitted.Response.StatusCode);
    }

    [Fact]
    public async Task AnAllowedOriginThatIsNotAnOrigin_FailsStartUp_NamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RealtimeTestServer.StartAsync(o => o.Realtime = r => r.AllowedOrigins.Add("https://dashboard.example.com/app")));
        Assert.Contains("Jobwatch:Api:Realtime:AllowedOrigins:0", failure.Message);
    }
}
