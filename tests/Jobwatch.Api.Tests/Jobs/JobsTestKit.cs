using System.Net;
using System.Text;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Audit;
using Jobwatch.Model;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>Shared steps of the jobs and queues API tests: problem checks, raw JSON posts, counting what was written.</summary>
internal static class JobsTestKit
{
    /// <summary>Asserts an RFC 9457 problem with <paramref name="status"/>, a detail, and (when given) a field error for <paramref name="errorKey"/>; returns its root.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? errorKey = null, string? detailContains = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement.Clone();
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.StartsWith("https://jobwatch.dev/problems/", root.GetProperty("type").GetString());
        var detail = root.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), "The problem has no detail.");
        if (errorKey is not null)
        {
            Assert.True(root.TryGetProperty("errors", out var errors) && errors.TryGetProperty(errorKey, out _),
                $"The problem does not name '{errorKey}' in errors: {text}");
        }
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
        }
        return root;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path) =>
        await (await client.GetAsync(path)).ReadJsonAsync();

    /// <summary>All jobs in the store, through the core monitor (not the API under test).</summary>
    public static async Task<IReadOnlyList<JobRecord>> AllJobsAsync(this ApiTestServer server)
    {
        var page = await server.Monitor.SearchAsync(new JobListParams { Limit = 1000 });
        Assert.True(page.Jobs.Count < 1000, "The test wrote more jobs than AllJobsAsync reads.");
        return page.Jobs.Select(v => v.Job).ToArray();
    }

    public static async Task<int> CountJobsAsync(this ApiTestServer server) => (await server.AllJobsAsync()).Count;

    public static async Task<IReadOnlyList<AuditEntry>> AuditAsync(this ApiTestServer server, string action) =>
        (await server.Services.GetRequiredService<IAuditTrail>().ListAsync(new AuditQuery { Action = action, Limit = 500 })).Entries;

    public static long[] Ids(this JsonElement list) =>
        list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetInt64()).ToArray();

    /// <summary>Polls until <paramref name="check"/> holds (30 s at most), for effects that workers bring about.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> check, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await check())
            {
                return;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"Within 30 s: {what}");
    }
}
