using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;

namespace Jobwatch.Api.Tests.Metrics;

public static class MetricsHttp
{
    /// <summary>GET /metrics as a viewer (the role a Prometheus scrape token has), checked for status and content type, parsed strictly.</summary>
    public static async Task<IReadOnlyDictionary<string, Family>> ScrapeAsync(this ApiTestServer server)
    {
        using var client = server.Client(JobwatchRole.Viewer);
        using var response = await client.GetAsync("metrics");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics: {(int)response.StatusCode} {body}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType?.ToString());
        return Exposition.Parse(body);
    }

    public static Family Family(this IReadOnlyDictionary<string, Family> families, string name, string type, params string[] labels)
    {
        Assert.True(families.TryGetValue(name, out var family), $"{name} is not exposed; found: {string.Join(", ", families.Keys)}");
        Assert.Equal(type, family.Type);
        Assert.False(string.IsNullOrWhiteSpace(family.Help), $"{name} has no help text.");
        foreach (var sample in family.Samples)
        {
            var expected = sample.Name.EndsWith("_bucket", StringComparison.Ordinal) ? [.. labels, "le"] : labels;
            Assert.True(expected.Order().SequenceEqual(sample.Labels.Keys.Order()),
                $"{sample.Name} has labels {{{string.Join(",", sample.Labels.Keys)}}}, expected {{{string.Join(",", expected)}}}.");
        }
        return family;
    }
}
