using System.Net;
using Jobwatch.Api.Tests.Infrastructure;

namespace Jobwatch.Api.Tests.Auth;

/// <summary>With no token configured the API serves loopback callers only, unless anonymous access was opted into.</summary>
public sealed class TokenlessServerTests
{
    private static HttpRequestMessage From(string address, string path) =>
        new(HttpMethod.Get, path) { Headers = { { ApiTestServer.RemoteAddressHeader, address } } };

    [Fact]
    public async Task Loopback_callers_are_admitted_and_others_refused_with_how_to_fix_it()
    {
        await using var server = await ApiTestServer.StartAsync(o => { o.WithTokens = false; o.RunWorkers = false; o.SimulateRemoteAddresses = true; });
        using var client = server.Client(null);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From("127.0.0.1", "api/v1/status-codes"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From("::1", "api/v1/status-codes"))).StatusCode);

        var remote = await client.SendAsync(From("203.0.113.9", "api/v1/status-codes"));
        Assert.Equal(HttpStatusCode.Unauthorized, remote.StatusCode);
        var body = await remote.Content.ReadAsStringAsync();
        Assert.Contains("JOBWATCH_TOKENS", body);
        Assert.Contains("AllowAnonymous", body);

        // Health stays open to probes from anywhere.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From("203.0.113.9", "api/health"))).StatusCode);
    }

    [Fact]
    public async Task Anonymous_access_opted_into_admits_any_address()
    {
        await using var server = await ApiTestServer.StartAsync(o =>
        {
            o.WithTokens = false;
            o.RunWorkers = false;
            o.SimulateRemoteAddresses = true;
            o.Api = api => api.AllowAnonymous = true;
        });
        using var client = server.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From("203.0.113.9", "api/v1/status-codes"))).StatusCode);
    }
}
