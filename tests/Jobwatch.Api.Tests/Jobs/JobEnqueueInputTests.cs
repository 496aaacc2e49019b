using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Audit;
using Jobwatch.AspNetCore.Auth;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>Bad enqueue bodies: each is a 4xx problem that says what was wrong, and nothing is written or audited.</summary>
public sealed class JobEnqueueInputTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(o => o.RunWorkers = false);
        _client = _server.Client(JobwatchRole.Operator);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task AssertNothingWrittenAsync()
    {
        Assert.Equal(0, await _server.CountJobsAsync());
        Assert.Empty(await _server.AuditAsync(AuditActions.JobEnqueue));
        // The server still serves, and a valid request still works.
        var ok = await _client.PostJsonAsync("api/v1/jobs", """{"name":"echo"}""");
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"rm -rf /"}""", "name", "Registered names: always_fails, counting_sync, echo")]
    [InlineData("""{"name":"System.IO.File.Delete"}""", "name", "No job is registered as")]
    [InlineData("""{}""", "name", "name is required")]
    [InlineData("""{"name":"  "}""", "name", "name is required")]
    [InlineData("""{"name":"echo","queue":"bad queue!"}""", "queue", "bad queue!")]
    [InlineData("""{"name":"echo","queue":""}""", "queue", "empty")]
    [InlineData("""{"name":"echo","delay_seconds":-1}""", "delay_seconds", "from 0")]
    [InlineData("""{"name":"echo","delay_seconds":1e300}""", "delay_seconds", "ten years")]
    [InlineData("""{"name":"echo","delay_seconds":5,"run_at":"2030-01-01T00:00:00Z"}""", "delay_seconds", "not both")]
    [InlineData("""{"name":"echo","max_attempts":0}""", "max_attempts", "at least 1")]
    [InlineData("""{"name":"echo","timeout_seconds":0}""", "timeout_seconds", "more than 0")]
    [InlineData("""{"name":"echo","timeout_seconds":-3}""", "timeout_seconds", "more than 0")]
    [InlineData("""{"name":"echo","metadata":[1,2]}""", "metadata", "JSON object")]
    [InlineData("""{"name":"echo","metadata":"text"}""", "metadata", "JSON object")]
    [InlineData("""{"name":"echo","args":[1,2]}""", "args", "args do not fit job 'echo'")]
    [InlineData("""{"name":"always_fails","args":{"code":"high"}}""", "args", "args do not fit job 'always_fails'")]
    [InlineData("""{"name":"echo","created_by":"________________________________________________________________________________________________________________________________________________________________________________________________________x"}""", "created_by", "at most 200")]
    public async Task An_invalid_field_is_a_400_naming_it(string body, string field, string hint)
    {
        await JobsTestKit.AssertProblemAsync(await _client.PostJsonAsync("api/v1/jobs", body), HttpStatusCode.BadRequest, field, hint);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Several_invalid_fields_are_all_reported_at_once()
    {
        var problem = await JobsTestKit.AssertProblemAsync(
            await _client.PostJsonAsync("api/v1/jobs", """{"name":"nope","delay_seconds":-1,"max_attempts":0,"metadata":5}"""), HttpStatusCode.BadRequest);
        Assert.Equal(["delay_seconds", "max_attempts", "metadata", "name"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("""{"name":"echo","priority":"high"}""", "$.priority")]
    [InlineData("""{"name":"echo","max_attempts":2.5}""", "$.max_attempts")]
    [InlineData("""{"name":42}""", "$.name")]
    [InlineData("""{"name":"echo","colour":"red"}""", "colour")]
    [InlineData("""{"name":"echo",}""", "line 1")]
    [InlineData("""{"name":""", "JSON")]
    [InlineData("""[{"name":"echo"}]""", "JSON")]
    [InlineData("""null""", "empty or null")]
    [InlineData("""{"name":"echo"} {"name":"echo"}""", "JSON")]
    public async Task A_body_that_does_not_parse_as_the_request_is_a_400_saying_where(string body, string hint)
    {
        await JobsTestKit.AssertProblemAsync(await _client.PostJsonAsync("api/v1/jobs", body), HttpStatusCode.BadRequest, detailContains: hint);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await _client.PostAsync("api/v1/jobs", new StringContent("""{"name":"echo"}""", Encoding.UTF8, "text/plain"));
        await JobsTestKit.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, detailContains: "application/json");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Deeply_nested_args_are_refused_before_anything_is_written()
    {
        const int depth = 10_000;
        var args = new string('[', depth) + new string(']', depth);
        await JobsTestKit.AssertProblemAsync(await _client.PostJsonAsync("api/v1/jobs", $$"""{"name":"echo","args":{{args}}}"""),
            HttpStatusCode.BadRequest, detailContains: "nested deeper");
        await JobsTestKit.AssertProblemAsync(await _client.PostJsonAsync("api/v1/jobs/batch", $$"""{"jobs":[{"name":"echo","args":{{args}}}]}"""),
            HttpStatusCode.BadRequest, detailContains: "nested deeper");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_ten_megabyte_body_is_413_and_the_server_serves_the_next_request()
    {
        var payload = new byte[10 * 1024 * 1024];
        Array.Fill(payload, (byte)' ');
        "{\"name\":\"echo\",\"args\":{\"text\":\""u8.CopyTo(payload);
        "\"}}"u8.CopyTo(payload.AsSpan(payload.Length - 3));
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = payload.Length;
        await JobsTestKit.AssertProblemAsync(await _client.PostAsync("api/v1/jobs", content), HttpStatusCode.RequestEntityTooLarge, detailContains: "MaxRequestBodyBytes");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_batch_over_the_cap_is_refused_whole()
    {
        var jobs = string.Join(",", Enumerable.Repeat("""{"name":"echo"}""", 1001));
        await JobsTestKit.AssertProblemAsync(await _client.PostJsonAsync("api/v1/jobs/batch", $$"""{"jobs":[{{jobs}}]}"""),
            HttpStatusCode.BadRequest, "jobs", "at most 1,000");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("""{"jobs":[]}""", "jobs")]
    [InlineData("""{}""", "jobs")]
    [InlineData("""{"jobs":[{"name":"echo"},null]}""", "jobs[1]")]
    [InlineData("""{"jobs":[{"name":"echo"},{"name":"nope"},{"name":"echo"}]}""", "jobs[1].name")]
    [InlineData("""{"jobs":[{"name":"echo"},{"name":"echo"},{"name":"echo","delay_seconds":-2}]}""", "jobs[2].delay_seconds")]
    [InlineData("""{"jobs":[{"name":"echo"},{"name":"echo","queue":"ok"},{"name":"echo","queue":"not ok"}]}""", "jobs[2].queue")]
    public async Task One_bad_job_refuses_the_whole_batch_naming_it(string body, string field)
    {
        await JobsTestKit.AssertProblemAsync(await _client.PostJsonAsync("api/v1/jobs/batch", body), HttpStatusCode.BadRequest, field);
        await AssertNothingWrittenAsync();
    }
}
