using System.Net;
using System.Text;
using System.Text.Json;

namespace Jobwatch.Api.Tests.Runs;

/// <summary>Raw HTTP for the runs tests: bodies as JSON text, answers as parsed JSON, so the wire shape itself is what is checked.</summary>
internal static class RunHttp
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(HttpClient client, string path, string? json)
    {
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    public static async Task<long> StartAsync(HttpClient client, string json)
    {
        var (status, body, _) = await PostAsync(client, "api/v1/runs", json);
        Assert.True(status == HttpStatusCode.Created, $"start answered {(int)status}: {body}");
        return body.GetProperty("id").GetInt64();
    }

    /// <summary>Asserts a problem answer and returns its detail.</summary>
    public static string AssertProblem(HttpStatusCode expected, (HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response) answer, string? typeSuffix = null)
    {
        Assert.True(answer.Status == expected, $"expected {(int)expected}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, answer.Body.GetProperty("status").GetInt32());
        if (typeSuffix is not null)
        {
            Assert.EndsWith("/" + typeSuffix, answer.Body.GetProperty("type").GetString());
        }
        return answer.Body.GetProperty("detail").GetString()!;
    }

    public static string[] ErrorFields(JsonElement problem) =>
        problem.TryGetProperty("errors", out var e) ? e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray() : [];
}
