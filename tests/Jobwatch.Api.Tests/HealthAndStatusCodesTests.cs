using System.Net;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;

namespace Jobwatch.Api.Tests;

public sealed class HealthAndStatusCodesTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_answers_without_a_token_and_names_the_storage()
    {
        using var client = _server.Client(role: null);
        var response = await client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("sqlite", doc.RootElement.GetProperty("storage").GetProperty("backend").GetString());
        Assert.Equal("up", doc.RootElement.GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("storage").GetProperty("response_ms").ValueKind);
    }

    [Fact]
    public async Task Status_codes_list_built_in_and_application_codes_sorted()
    {
        using var client = _server.Client(JobwatchRole.Viewer);
        using var doc = JsonDocument.Parse(await client.GetStringAsync("api/v1/status-codes"));
        var codes = doc.RootElement.GetProperty("codes").EnumerateArray().ToArray();
        var numbers = codes.Select(c => c.GetProperty("code").GetInt32()).ToArray();
        Assert.Equal(numbers.Order(), numbers);
        var rateLimited = codes.Single(c => c.GetProperty("code").GetInt32() == 429);
        Assert.Equal("RATE_LIMITED", rateLimited.GetProperty("label").GetString());
        Assert.True(rateLimited.GetProperty("retryable").GetBoolean());
        Assert.Equal("error", rateLimited.GetProperty("class").GetString());
        var custom = codes.Single(c => c.GetProperty("code").GetInt32() == 470);
        Assert.Equal("INVALID_PAYLOAD", custom.GetProperty("label").GetString());
        Assert.Equal("api-tests", custom.GetProperty("registered_by").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_Jobwatch_routes()
    {
        using var client = _server.Client(role: null);
        using var doc = JsonDocument.Parse(await client.GetStringAsync("api/v1/openapi/jobwatch.json"));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/health", paths);
        Assert.Contains("/api/v1/status-codes", paths);
    }
}
