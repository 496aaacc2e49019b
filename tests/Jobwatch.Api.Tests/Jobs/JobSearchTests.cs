using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jobwatch.AspNetCore.Auth;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>GET /api/v1/jobs: every filter keeps exactly the jobs it should, against a store holding one job in every state.</summary>
public sealed class JobSearchTests(SeededJobsFixture seed) : IClassFixture<SeededJobsFixture>
{
    private async Task<long[]> SearchAsync(string query)
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        return (await client.GetJsonAsync("api/v1/jobs" + query)).Ids();
    }

    [Fact]
    public async Task Without_filters_every_job_is_listed_newest_first()
    {
        var ids = await SearchAsync("");
        Assert.Equal(seed.All.OrderDescending(), ids);
    }

    [Fact]
    public async Task Queue_name_state_code_source_external_and_text_filters_keep_exactly_their_jobs()
    {
        var s = seed;
        var cases = new (string Query, long[] Expected)[]
        {
            ("?queue=critical", [s.Failed470, s.Failed500]),
            ("?queue=held", [s.Waiting]),
            ("?name=always_fails", [s.Failed470, s.Failed500]),
            ("?state=failed", [s.Failed470, s.Failed500]),
            ("?state=failed,cancelled", [s.Failed470, s.Failed500, s.Cancelled]),
            ("?state=failed&state=active", [s.Failed470, s.Failed500, s.Active]),
            ("?state=WAITING", [s.Waiting]),
            ("?state=delayed", [s.Delayed]),
            ("?state=completed", [s.Completed, s.External]),
            ("?status_code=470", [s.Failed470]),
            ("?queue=critical&status_code=500", [s.Failed500]),
            ("?source=seed-a", [s.Completed]),
            ("?source=seed-ext", [s.External]),
            ("?source=seed-updater", [s.External]),
            ("?external=true", [s.External]),
            ("?external=false", s.All.Where(id => id != s.External).ToArray()),
            ("?q=kaput", [s.Failed470]),
            ("?q=HELLO-ALPHA", [s.Completed]),
            ("?q=acme", [s.Completed]),
            ("?q=no-such-text-anywhere", []),
            ("?name=echo&state=delayed,waiting", [s.Delayed, s.Waiting]),
        };
        foreach (var (query, expected) in cases)
        {
            var ids = await SearchAsync(query);
            Assert.True(expected.OrderDescending().SequenceEqual(ids),
                $"{query}: expected [{string.Join(",", expected.OrderDescending())}], got [{string.Join(",", ids)}]");
        }
    }

    [Fact]
    public async Task Created_after_and_before_split_the_jobs_at_a_creation_time()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var all = (await client.GetJsonAsync("api/v1/jobs")).GetProperty("jobs").EnumerateArray()
            .Select(j => (Id: j.GetProperty("id").GetInt64(), Created: j.GetProperty("created_at").GetDateTimeOffset())).ToArray();
        var bound = all.Single(j => j.Id == seed.Failed470).Created;
        var at = Uri.EscapeDataString(bound.ToString("O", CultureInfo.InvariantCulture));

        var after = await SearchAsync("?created_after=" + at);
        var before = await SearchAsync("?created_before=" + at);
        Assert.Equal(all.Where(j => j.Created >= bound).Select(j => j.Id).OrderDescending(), after);
        Assert.Equal(all.Where(j => j.Created < bound).Select(j => j.Id).OrderDescending(), before);
        Assert.Contains(seed.Failed470, after);
        Assert.Contains(seed.Completed, before);
        Assert.Equal(all.Length, after.Length + before.Length);
        var window = await SearchAsync($"?created_after={Uri.EscapeDataString(bound.AddDays(-1).ToString("O", CultureInfo.InvariantCulture))}&created_before={at}");
        Assert.Equal(before, window);
    }

    [Fact]
    public async Task Finished_after_and_before_split_the_finished_jobs_at_a_finish_time()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var finished = (await client.GetJsonAsync("api/v1/jobs?order=recently_finished")).GetProperty("jobs").EnumerateArray()
            .Select(j => (Id: j.GetProperty("id").GetInt64(), Finished: j.GetProperty("finished_at").GetDateTimeOffset())).ToArray();
        var bound = finished.Single(j => j.Id == seed.Failed470).Finished;
        var at = Uri.EscapeDataString(bound.ToString("O", CultureInfo.InvariantCulture));

        var after = await SearchAsync("?finished_after=" + at);
        var before = await SearchAsync("?finished_before=" + at);
        Assert.Equal(finished.Where(j => j.Finished >= bound).Select(j => j.Id).OrderDescending(), after);
        Assert.Equal(finished.Where(j => j.Finished < bound).Select(j => j.Id).OrderDescending(), before);
        Assert.Contains(seed.Failed470, after);
        // Unfinished jobs match neither side.
        Assert.Equal(finished.Length, after.Length + before.Length);
        var failedOnly = await SearchAsync($"?finished_after={Uri.EscapeDataString(bound.AddDays(-1).ToString("O", CultureInfo.InvariantCulture))}&state=failed");
        Assert.Equal(new[] { seed.Failed470, seed.Failed500 }.OrderDescending(), failedOnly);
    }

    [Fact]
    public async Task Recently_finished_lists_only_finished_jobs_latest_first()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var body = await client.GetJsonAsync("api/v1/jobs?order=recently_finished");
        Assert.Equal("recently_finished", body.GetProperty("order").GetString());
        var jobs = body.GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(new[] { seed.Completed, seed.Failed470, seed.Failed500, seed.Cancelled, seed.External }.Order(),
            jobs.Select(j => j.GetProperty("id").GetInt64()).Order());
        var finished = jobs.Select(j => (j.GetProperty("finished_at").GetDateTimeOffset(), j.GetProperty("id").GetInt64())).ToArray();
        Assert.Equal(finished.OrderByDescending(f => f.Item1).ThenByDescending(f => f.Item2), finished);
    }

    [Fact]
    public async Task A_listed_job_has_the_snake_case_shape_with_json_args_and_derived_figures()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var body = await client.GetJsonAsync("api/v1/jobs?q=hello-alpha");
        Assert.Equal(JsonValueKind.Null, body.GetProperty("next_cursor").ValueKind);
        Assert.Equal(50, body.GetProperty("limit").GetInt32());
        Assert.Equal("newest", body.GetProperty("order").GetString());
        var job = Assert.Single(body.GetProperty("jobs").EnumerateArray());
        foreach (var property in job.EnumerateObject())
        {
            Assert.Matches(new Regex("^[a-z][a-z0-9_]*$"), property.Name);
        }
        Assert.Equal(seed.Completed, job.GetProperty("id").GetInt64());
        Assert.Equal("default", job.GetProperty("queue").GetString());
        Assert.Equal("echo", job.GetProperty("name").GetString());
        Assert.Equal("echo", job.GetProperty("type").GetString());
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Equal(200, job.GetProperty("status_code").GetInt32());
        Assert.Equal("SUCCESS", job.GetProperty("status_label").GetString());
        Assert.Equal("seed-a", job.GetProperty("created_by").GetString());
        Assert.Equal("hello-alpha", job.GetProperty("args").GetProperty("text").GetString());
        Assert.Equal("acme", job.GetProperty("metadata").GetProperty("tenant").GetString());
        Assert.Equal(1, job.GetProperty("attempt").GetInt32());
        Assert.Equal(3, job.GetProperty("max_attempts").GetInt32());
        Assert.False(job.GetProperty("external").GetBoolean());
        Assert.Equal(100, job.GetProperty("progress_percent").GetDouble());
        Assert.True(job.GetProperty("finished_at").GetDateTimeOffset() >= job.GetProperty("started_at").GetDateTimeOffset());
        Assert.True(job.GetProperty("started_at").GetDateTimeOffset() >= job.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Number, job.GetProperty("duration_seconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("last_error").ValueKind);
    }

    [Fact]
    public async Task An_active_job_shows_its_item_progress()
    {
        using var client = seed.Server.Client(JobwatchRole.Viewer);
        var job = Assert.Single((await client.GetJsonAsync("api/v1/jobs?state=active")).GetProperty("jobs").EnumerateArray());
        Assert.Equal(seed.Active, job.GetProperty("id").GetInt64());
        Assert.Equal(10, job.GetProperty("total_items").GetInt64());
        Assert.Equal(5, job.GetProperty("items_processed").GetInt64());
        Assert.Equal(50, job.GetProperty("progress_percent").GetDouble());
        Assert.Equal("sync", job.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Search_needs_a_reading_role()
    {
        using (var anonymous = seed.Server.Client(null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/jobs")).StatusCode);
        }
        using var reporter = seed.Server.Client(JobwatchRole.Reporter);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await reporter.GetAsync("api/v1/jobs")).StatusCode);
    }
}
