using System.Net;
using System.Text;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Contracts.Audit;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Audit;

/// <summary><c>GET /api/v1/audit</c>: operator actions taken over HTTP are listed with who, what, which and when.</summary>
public sealed class AuditApiTests : IAsyncLifetime
{
    private static readonly string Operator = $"{ApiTestServer.TokenName(JobwatchRole.Operator)} (operator)";
    private ApiTestServer _server = null!;
    private HttpClient _operator = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _operator = _server.Client(JobwatchRole.Operator);
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Operator_actions_over_HTTP_are_listed_newest_first_with_who_what_which_and_when()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var enqueued = await EnqueueAsync(FailHandler.Name, """{"code":429}""");
        await _server.WaitForJobAsync(enqueued, j => j.State == JobState.Failed, "dead-lettered");
        await Ok(await Post($"api/v1/jobs/{enqueued}/retry", null));
        await _server.WaitForJobAsync(enqueued, j => j.State == JobState.Failed, "dead-lettered again");
        await Ok(await Post("api/v1/jobs/dead-letters/retry", """{"queue":"critical"}"""));
        var counting = await EnqueueAsync(CountingHandler.Name, """{"total":10}""");
        await _server.WaitForJobAsync(counting, j => j.State == JobState.Active, "running");
        await Ok(await Post($"api/v1/jobs/{counting}/cancel", null));
        await Ok(await _operator.DeleteAsync($"api/v1/jobs/{counting}"));
        await Ok(await Post("api/v1/queues/critical/pause", null));
        await Ok(await Post("api/v1/queues/critical/resume", null));
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        using var client = new JobwatchClient(_server.BaseAddress, ApiTestServer.Secret(JobwatchRole.Operator));
        var page = await client.ListAuditAsync(new AuditSearchQuery { Actor = Operator });

        var expected = new (string Action, string? Target)[]
        {
            ("queue.resume", "queue:critical"),
            ("queue.pause", "queue:critical"),
            ("job.delete", $"job:{counting}"),
            ("job.cancel", $"job:{counting}"),
            ("job.enqueue", $"job:{counting}"),
            ("dead_letter.retry", "queue:critical"),
            ("job.retry", $"job:{enqueued}"),
            ("job.enqueue", $"job:{enqueued}"),
        };
        Assert.Equal(expected, page.Entries.Select(e => (e.Action, e.Target)).ToArray());
        Assert.All(page.Entries, e =>
        {
            Assert.Equal(Operator, e.Actor);
            Assert.Equal("ok", e.Outcome);
            Assert.InRange(e.At, before, after);
        });
        Assert.Equal(page.Entries.Select(e => e.Id).OrderDescending(), page.Entries.Select(e => e.Id));
        var bulk = page.Entries.Single(e => e.Action == "dead_letter.retry");
        Assert.Equal(1, bulk.Details!.Value.GetProperty("count").GetInt32());
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Filters_combine_and_a_cursor_pages_through_everything_once()
    {
        await Ok(await Post("api/v1/queues/alpha/pause", null));
        await Ok(await Post("api/v1/queues/beta/pause", null));
        await Ok(await Post("api/v1/queues/alpha/resume", null));
        await _server.Jobs.PauseQueueAsync("gamma", by: "deploy-script");
        await _server.Jobs.PauseQueueAsync("delta");

        Assert.Equal(new string?[] { "queue:alpha", "queue:beta" }, (await List("?action=queue.pause&actor=" + Uri.EscapeDataString(Operator))).Select(e => e.Target).Order().ToArray());
        Assert.Equal(["queue.resume", "queue.pause"], (await List("?target=queue:alpha")).Select(e => e.Action).ToArray());
        Assert.Equal("queue:gamma", Assert.Single(await List("?actor=deploy-script")).Target);
        Assert.Equal("queue:delta", Assert.Single(await List("?actor=app")).Target);
        Assert.Empty(await List("?since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))));
        Assert.Empty(await List("?until=2000-01-01T00:00:00Z"));

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var doc = JsonDocument.Parse(await _operator.GetStringAsync("api/v1/audit?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            Assert.Equal(2, doc.RootElement.GetProperty("limit").GetInt32());
            cursor = doc.RootElement.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);
        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.Distinct().OrderDescending(), seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("since=yesterday", "since")]
    [InlineData("since=2025-02-01T00:00:00Z&until=2025-01-01T00:00:00Z", "since")]
    [InlineData("actr=x", "actr")]
    [InlineData("action=a&action=b", "action")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string parameter)
    {
        var response = await _operator.GetAsync("api/v1/audit?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), doc.RootElement.ToString());
    }

    [Fact]
    public async Task Only_operators_and_admins_read_the_audit_trail()
    {
        using var viewer = _server.Client(JobwatchRole.Viewer);
        using var reporter = _server.Client(JobwatchRole.Reporter);
        using var anonymous = _server.Client(role: null);
        using var admin = _server.Client(JobwatchRole.Admin);

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _operator.GetAsync("api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task Runs_are_reports_not_operator_actions_and_are_not_audited()
    {
        await Ok(await Post("api/v1/queues/marker/pause", null));
        using var reporter = _server.Client(JobwatchRole.Reporter);
        var started = await reporter.PostAsync("api/v1/runs", Json("""{"name":"nightly_import"}"""));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await reporter.PostAsync($"api/v1/runs/{id}/progress", Json("""{"items_succeeded":3}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reporter.PostAsync($"api/v1/runs/{id}/complete", null)).StatusCode);

        var entries = await List("");
        Assert.Equal("queue:marker", Assert.Single(entries).Target);
        Assert.DoesNotContain(entries, e => e.Action.StartsWith("run.", StringComparison.Ordinal) || e.Target == $"job:{id}");
    }

    private async Task<IReadOnlyList<AuditEntryDto>> List(string query)
    {
        var response = await _operator.GetAsync("api/v1/audit" + query);
        Assert.True(response.IsSuccessStatusCode, $"GET api/v1/audit{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonSerializer.Deserialize<AuditListResponse>(await response.Content.ReadAsStringAsync())!.Entries;
    }

    private async Task<long> EnqueueAsync(string name, string args)
    {
        var response = await Post("api/v1/jobs", $$"""{"name":"{{name}}","args":{{args}}}""");
        await Ok(response);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    private Task<HttpResponseMessage> Post(string path, string? json) => _operator.PostAsync(path, json is null ? null : Json(json));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}
