using System.Net;
using Jobwatch.AspNetCore.Auth;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>Every malformed search parameter is a 400 problem naming it and saying what would be accepted.</summary>
public sealed class JobSearchInputTests(SeededJobsFixture seed) : IClassFixture<SeededJobsFixture>
{
    [Theory]
    [InlineData("?limit=0", "limit", "1 to 500")]
    [InlineData("?limit=501", "limit", "1 to 500")]
    [InlineData("?limit=-1", "limit", "1 to 500")]
    [InlineData("?limit=abc", "limit", "'abc'")]
    [InlineData("?limit=2.5", "limit", "whole number")]
    [InlineData("?limit=99999999999999999999", "limit", "whole number")]
    [InlineData("?state=bogus", "state", "waiting, delayed, active, completed, failed, cancelled")]
    [InlineData("?state=failed,nope", "state", "'nope'")]
    [InlineData("?status_code=abc", "status_code", "three-digit")]
    [InlineData("?status_code=42", "status_code", "three-digit")]
    [InlineData("?created_after=yesterday", "created_after", "ISO 8601")]
    [InlineData("?created_before=2025-13-45", "created_before", "ISO 8601")]
    [InlineData("?created_after=2025-01-01T00:00:00+01:00", "created_after", "%2B")]
    [InlineData("?created_after=2025-02-01T00:00:00Z&created_before=2025-01-01T00:00:00Z", "created_after", "swap")]
    [InlineData("?external=maybe", "external", "true or false")]
    [InlineData("?order=oldest", "order", "recently_finished")]
    [InlineData("?cursor=abc", "cursor", "next_cursor")]
    [InlineData("?states=failed", "states", "Supported parameters")]
    [InlineData("?finished_after=soon", "finished_after", "ISO 8601")]
    [InlineData("?finished_after=2025-02-01T00:00:00Z&finished_before=2025-01-01T00:00:00Z", "finished_after", "swap")]
    [InlineData("?finished_since=2025-01-01T00:00:00Z", "finished_since", "finished_after")]
    public async Task A_malformed_parameter_is_a_problem_naming_it(string query, string parameter, string hint)
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var problem = await JobsTestKit.AssertProblemAsync(await client.GetAsync("api/v1/jobs" + query), HttpStatusCode.BadRequest, parameter, hint);
        Assert.Contains(parameter, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Over_long_text_filters_are_refused()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        await JobsTestKit.AssertProblemAsync(await client.GetAsync("api/v1/jobs?q=" + new string('x', 201)), HttpStatusCode.BadRequest, "q", "at most 200");
    }

    [Fact]
    public async Task An_edited_truncated_or_foreign_cursor_is_refused_but_the_real_one_works()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var first = await client.GetJsonAsync("api/v1/jobs?limit=2");
        var cursor = first.GetProperty("next_cursor").GetString()!;
        var next = await client.GetJsonAsync("api/v1/jobs?limit=2&cursor=" + Uri.EscapeDataString(cursor));
        Assert.Equal(seed.All.OrderDescending().Skip(2).Take(2), next.Ids());

        // Each character position changed in turn: none may pass as another valid position.
        for (var i = 0; i < cursor.Length; i++)
        {
            var edited = cursor[..i] + (cursor[i] == 'A' ? 'B' : 'A') + cursor[(i + 1)..];
            await JobsTestKit.AssertProblemAsync(await client.GetAsync("api/v1/jobs?limit=2&cursor=" + Uri.EscapeDataString(edited)), HttpStatusCode.BadRequest, "cursor");
        }
        await JobsTestKit.AssertProblemAsync(await client.GetAsync("api/v1/jobs?limit=2&cursor=" + Uri.EscapeDataString(cursor[..^3])), HttpStatusCode.BadRequest, "cursor");
        await JobsTestKit.AssertProblemAsync(await client.GetAsync("api/v1/jobs?limit=2&cursor=" + new string('A', 500)), HttpStatusCode.BadRequest, "cursor");
        await JobsTestKit.AssertProblemAsync(await client.GetAsync("api/v1/jobs?limit=2&order=recently_finished&cursor=" + Uri.EscapeDataString(cursor)),
            HttpStatusCode.BadRequest, "cursor", "order=newest");
    }
}
