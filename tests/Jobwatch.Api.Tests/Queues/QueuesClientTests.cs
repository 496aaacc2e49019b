using System.Net;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;

namespace Jobwatch.Api.Tests.Queues;

/// <summary>The typed client's queue methods against a real server.</summary>
public sealed class QueuesClientTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private JobwatchClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _client = new JobwatchClient(_server.BaseAddress, ApiTestServer.Secret(JobwatchRole.Admin));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task List_get_pause_and_resume()
    {
        var queues = await _client.ListQueuesAsync();
        Assert.Equal(["critical", "default"], queues.Select(q => q.Name));
        Assert.All(queues, q => Assert.NotNull(q.Concurrency));

        var paused = await _client.PauseQueueAsync("default");
        Assert.True(paused.Paused);
        Assert.True((await _client.GetQueueAsync("default"))!.Paused);
        Assert.False((await _client.ResumeQueueAsync("default")).Paused);
        Assert.Null(await _client.GetQueueAsync("nope"));

        var invalid = await Assert.ThrowsAsync<JobwatchApiException>(() => _client.PauseQueueAsync("no spaces allowed"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.True(invalid.Errors.ContainsKey("name"));
    }

    [Fact]
    public async Task A_viewer_token_may_read_but_not_pause()
    {
        using var viewer = new JobwatchClient(_server.BaseAddress, ApiTestServer.Secret(JobwatchRole.Viewer));
        Assert.NotEmpty(await viewer.ListQueuesAsync());
        var forbidden = await Assert.ThrowsAsync<JobwatchApiException>(() => viewer.PauseQueueAsync("default"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.False((await _client.GetQueueAsync("default"))!.Paused);
    }
}
