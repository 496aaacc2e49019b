using System.Net;
using System.Text;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Jobwatch.Api.Tests.Auth;

/// <summary>
/// Every route the app maps (read from the app's own endpoint table, so a new route cannot escape the matrix) is
/// called anonymously, with a wrong token and with each role's token. Routes must carry the policy their kind
/// calls for: reads need Read, run reports need Report, everything that changes jobs, queues or reads the audit needs Operate.
/// </summary>
public sealed class AuthMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync(o => o.RunWorkers = false);
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private sealed record Route(string Method, string Pattern, string Url, string? Policy, bool Anonymous);

    private IReadOnlyList<Route> Routes()
    {
        var routes = new List<Route>();
        foreach (var endpoint in _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var url = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)[^}]*\}", m => m.Groups[1].Value switch
            {
                "documentName" => "jobwatch",
                var n when n.Contains("id", StringComparison.OrdinalIgnoreCase) => "1",
                _ => "default",
            });
            var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            routes.AddRange(methods.Select(m => new Route(m, pattern, url, policy, anonymous)));
        }
        return routes;
    }

    private static string ExpectedPolicy(Route r) =>
        r.Pattern.StartsWith("/api/v1/runs", StringComparison.Ordinal) ? JobwatchPolicies.Report
        : r.Pattern.StartsWith("/api/v1/audit", StringComparison.Ordinal) ? JobwatchPolicies.Operate
        // The live feeds are reads, whatever verb their transport negotiates with.
        : r.Pattern.StartsWith("/job-progress", StringComparison.Ordinal) || r.Pattern == "/api/v1/events" ? JobwatchPolicies.Read
        : r.Method == "GET" ? JobwatchPolicies.Read
        : JobwatchPolicies.Operate;

    private static readonly string[] OpenRoutes = ["/api/health", "/api/v1/openapi/{documentName}.json"];

    [Fact]
    public void Every_route_requires_the_policy_its_kind_calls_for()
    {
        var routes = Routes();
        Assert.True(routes.Count >= 3, "The endpoint table is unexpectedly small.");
        foreach (var r in routes)
        {
            if (OpenRoutes.Contains(r.Pattern))
            {
                Assert.True(r.Anonymous, $"{r.Method} {r.Pattern} should be open.");
                continue;
            }
            Assert.False(r.Anonymous, $"{r.Method} {r.Pattern} allows anonymous access.");
            Assert.Equal((r.Method, r.Pattern, ExpectedPolicy(r)), (r.Method, r.Pattern, r.Policy));
        }
    }

    [Fact]
    public async Task Anonymous_and_wrong_tokens_get_401_and_roles_outside_the_policy_get_403()
    {
        var failures = new List<string>();
        foreach (var r in Routes().Where(r => !r.Anonymous))
        {
            var allowed = JobwatchPolicies.Roles[r.Policy!];
            var callers = new List<(string Who, string? Token, bool ShouldPass)>
            {
                ("anonymous", null, false),
                ("wrong token", "not-a-real-token", false),
                ("a role name as token", "admin", false),
            };
            callers.AddRange(Enum.GetValues<JobwatchRole>().Select(role => (role.ToString(), (string?)ApiTestServer.Secret(role), allowed.Contains(role))));
            foreach (var (who, token, shouldPass) in callers)
            {
                using var client = _server.ClientWithToken(token);
                using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Url.TrimStart('/'));
                if (r.Method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                // Headers only: a streaming route (the SSE event stream) never ends its body for an allowed caller.
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var status = (int)response.StatusCode;
                var expected = shouldPass ? "not 401/403" : token is null || !Enum.GetValues<JobwatchRole>().Any(x => ApiTestServer.Secret(x) == token) ? "401" : "403";
                var ok = shouldPass ? status is not (401 or 403) : status == int.Parse(expected);
                if (!ok)
                {
                    failures.Add($"{r.Method} {r.Url} as {who}: {status}, expected {expected}");
                }
                if (!shouldPass)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }
        output.WriteLine($"{Routes().Count} routes checked.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_401_says_how_to_send_a_token_and_never_echoes_it()
    {
        using var client = _server.ClientWithToken("s3cret-that-must-not-leak");
        var response = await client.GetAsync("api/v1/status-codes");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("s3cret-that-must-not-leak", body);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        using var anonymous = _server.Client(null);
        var missing = await (await anonymous.GetAsync("api/v1/status-codes")).Content.ReadAsStringAsync();
        Assert.Contains("Authorization: Bearer", missing);
    }
}
