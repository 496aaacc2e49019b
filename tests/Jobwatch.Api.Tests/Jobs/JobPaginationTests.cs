using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>Keyset pagination of GET /api/v1/jobs: every page walk sees each matching job exactly once, in order.</summary>
public sealed class JobPaginationTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(o => o.RunWorkers = false);
        _client = _server.Client(JobwatchRole.Viewer);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<List<long>> EnqueueAsync(int count, string? queue = null)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await _server.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs($"n{i}"), new Client.EnqueueOptions { Queue = queue }));
        }
        return ids;
    }

    /// <summary>Follows next_cursor to the end; returns each page's ids.</summary>
    private async Task<List<long[]>> WalkAsync(string query, Func<int, Task>? betweenPages = null)
    {
        var pages = new List<long[]>();
        string? cursor = null;
        do
        {
            var sep = query.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var body = await _client.GetJsonAsync("api/v1/jobs" + query + (cursor is null ? "" : $"{sep}cursor={Uri.EscapeDataString(cursor)}"));
            pages.Add(body.Ids());
            cursor = body.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : body.GetProperty("next_cursor").GetString();
            Assert.True(pages.Count < 100, "The walk does not end.");
            if (cursor is not null && betweenPages is not null)
            {
                await betweenPages(pages.Count);
            }
        }
        while (cursor is not null);
        return pages;
    }

    [Fact]
    public async Task Pages_cover_every_job_once_newest_first_and_the_last_page_has_no_cursor()
    {
        var ids = await EnqueueAsync(23);
        var pages = await WalkAsync("?limit=5");
        Assert.Equal([5, 5, 5, 5, 3], pages.Select(p => p.Length));
        Assert.Equal(ids.OrderDescending(), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task A_last_page_that_is_exactly_full_still_ends_the_walk()
    {
        var ids = await EnqueueAsync(10);
        var pages = await WalkAsync("?limit=5");
        Assert.Equal([5, 5], pages.Select(p => p.Length));
        Assert.Equal(ids.OrderDescending(), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Jobs_enqueued_during_a_walk_neither_shift_nor_repeat_the_pages()
    {
        var ids = await EnqueueAsync(12);
        var pages = await WalkAsync("?limit=4", async _ => await EnqueueAsync(3));
        Assert.Equal(ids.OrderDescending(), pages.SelectMany(p => p));
        Assert.Equal(12 + 3 * (pages.Count - 1), await _server.CountJobsAsync());
    }

    [Fact]
    public async Task A_filtered_walk_sees_only_matching_jobs_across_pages()
    {
        var critical = await EnqueueAsync(7, "critical");
        await EnqueueAsync(6, "default");
        var pages = await WalkAsync("?queue=critical&state=waiting&limit=3");
        Assert.Equal([3, 3, 1], pages.Select(p => p.Length));
        Assert.Equal(critical.OrderDescending(), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Recently_finished_pages_follow_finish_time_then_id_without_gaps()
    {
        // Cancelling finishes a job without a worker; finish times may tie, which the (finished_at, id) key orders.
        var ids = await EnqueueAsync(11);
        foreach (var id in ids.OrderBy(_ => Random.Shared.Next()))
        {
            Assert.Equal(Storage.JobActionStatus.Done, (await _server.Jobs.CancelAsync(id)).Status);
        }
        await EnqueueAsync(2);
        var pages = await WalkAsync("?order=recently_finished&limit=4");
        Assert.Equal([4, 4, 3], pages.Select(p => p.Length));
        var walked = pages.SelectMany(p => p).ToArray();
        var expected = (await _server.AllJobsAsync()).Where(j => j.State == JobState.Cancelled)
            .OrderByDescending(j => j.FinishedAt).ThenByDescending(j => j.Id).Select(j => j.Id);
        Assert.Equal(expected, walked);
        Assert.Equal(ids.Order(), walked.Order());
    }

    [Fact]
    public async Task An_empty_result_has_no_cursor()
    {
        var body = await _client.GetJsonAsync("api/v1/jobs?queue=nothing-here");
        Assert.Empty(body.GetProperty("jobs").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("next_cursor").ValueKind);
    }
}
