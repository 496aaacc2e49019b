using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>The OpenAPI document describes the jobs and queues routes, with their JSON bodies, and not the id catch-alls.</summary>
public sealed class JobsOpenApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync(o => o.RunWorkers = false);
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Jobs_and_queues_routes_are_documented_with_their_bodies()
    {
        using var client = _server.Client(null);
        using var doc = JsonDocument.Parse(await client.GetStringAsync("api/v1/openapi/jobwatch.json"));
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/v1/jobs", "/api/v1/jobs/batch", "/api/v1/jobs/dead-letters/retry", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/retry",
            "/api/v1/jobs/{id}/cancel", "/api/v1/queues", "/api/v1/queues/{name}", "/api/v1/queues/{name}/pause", "/api/v1/queues/{name}/resume",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document.");
        }
        var job = paths.GetProperty("/api/v1/jobs/{id}");
        Assert.Equal(["delete", "get"], job.EnumerateObject().Select(o => o.Name).Where(n => n is "get" or "delete").Order());
        Assert.Equal("GetJob", job.GetProperty("get").GetProperty("operationId").GetString());
        var id = job.GetProperty("get").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "id");
        Assert.Equal("integer", id.GetProperty("schema").GetProperty("type").GetString());
        foreach (var post in new[] { "/api/v1/jobs", "/api/v1/jobs/batch", "/api/v1/jobs/dead-letters/retry" })
        {
            Assert.True(paths.GetProperty(post).GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _),
                $"POST {post} does not document its JSON body.");
        }
        var search = paths.GetProperty("/api/v1/jobs").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("cursor", search);
        Assert.Contains("state", search);
        Assert.Contains("q", search);
    }
}
