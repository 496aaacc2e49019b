using System.Net;
using System.Text.Json;
using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Contracts.Jobs;
using Jobwatch.Model;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>The typed client against a real server: every jobs method, and problems surfacing as <see cref="JobwatchApiException"/>.</summary>
public sealed class JobsClientTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private JobwatchClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _client = new JobwatchClient(_server.BaseAddress, ApiTestServer.Secret(JobwatchRole.Operator));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Enqueue_read_and_search_through_the_client()
    {
        var job = await _client.EnqueueJobAsync(new EnqueueJobRequest
        {
            Name = EchoHandler.Name,
            Args = JsonSerializer.SerializeToElement(new { text = "from-client" }),
            Metadata = JsonSerializer.SerializeToElement(new { tenant = "acme" }),
            Priority = 2,
        });
        Assert.Equal("default", job.Queue);
        await _server.WaitForJobAsync(job.Id, j => j.State == JobState.Completed, "completed");

        var detail = await _client.GetJobAsync(job.Id);
        Assert.NotNull(detail);
        Assert.Equal("completed", detail.Job.State);
        Assert.Equal("from-client", detail.Job.Args!.Value.GetProperty("text").GetString());
        Assert.Equal("acme", detail.Job.Metadata!.Value.GetProperty("tenant").GetString());
        Assert.Equal(2, detail.Job.Priority);
        Assert.Equal("test-operator (operator)", detail.Job.CreatedBy);
        Assert.Contains(detail.Timeline, t => t.Kind == "completed");
        Assert.Null(await _client.GetJobAsync(987654));

        var other = await _client.EnqueueJobAsync(EchoHandler.Name, new EchoArgs("plain"));
        var page = await _client.SearchJobsAsync(new JobSearchQuery { Text = "from-client", States = ["completed"] });
        Assert.Equal([job.Id], page.Jobs.Select(j => j.Id));
        Assert.Null(page.NextCursor);
        var everything = await _client.SearchJobsAsync();
        Assert.Equal([other.Id, job.Id], everything.Jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task Search_all_follows_the_cursor_through_every_page()
    {
        var batch = await _client.EnqueueJobsAsync(Enumerable.Range(0, 13)
            .Select(i => new EnqueueJobRequest { Name = EchoHandler.Name, DelaySeconds = 3600, Args = JsonSerializer.SerializeToElement(new { text = $"n{i}" }) })
            .ToArray());
        Assert.Equal(13, batch.Count);
        var seen = new List<long>();
        await foreach (var job in _client.SearchAllJobsAsync(new JobSearchQuery { States = ["delayed"], Limit = 4 }))
        {
            seen.Add(job.Id);
        }
        Assert.Equal(batch.Jobs.Select(j => j.Id).OrderDescending(), seen);
    }

    [Fact]
    public async Task Problems_surface_with_their_field_errors()
    {
        var invalid = await Assert.ThrowsAsync<JobwatchApiException>(() => _client.EnqueueJobAsync(new EnqueueJobRequest { Name = "nope", DelaySeconds = -1 }));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("echo", invalid.Errors["name"][0]);
        Assert.True(invalid.Errors.ContainsKey("delay_seconds"));

        var batch = await Assert.ThrowsAsync<JobwatchApiException>(() => _client.EnqueueJobsAsync([new EnqueueJobRequest { Name = "echo" }, new EnqueueJobRequest()]));
        Assert.True(batch.Errors.ContainsKey("jobs[1].name"));

        var search = await Assert.ThrowsAsync<JobwatchApiException>(() => _client.SearchJobsAsync(new JobSearchQuery { Limit = 0 }));
        Assert.Equal("https://jobwatch.dev/problems/invalid-parameter", search.Type);
        Assert.True(search.Errors.ContainsKey("limit"));
        Assert.Equal(0, await _server.CountJobsAsync());
    }

    [Fact]
    public async Task Retry_cancel_delete_and_bulk_retry_through_the_client()
    {
        var failed = await _client.EnqueueJobAsync(FailHandler.Name, new FailArgs(470));
        await _server.WaitForJobAsync(failed.Id, j => j.State == JobState.Failed, "failed");
        var done = await _client.EnqueueJobAsync(EchoHandler.Name);
        await _server.WaitForJobAsync(done.Id, j => j.State == JobState.Completed, "completed");

        var conflict = await Assert.ThrowsAsync<JobwatchApiException>(() => _client.RetryJobAsync(done.Id));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Contains("completed", conflict.Detail);
        Assert.Equal(HttpStatusCode.Conflict, (await Assert.ThrowsAsync<JobwatchApiException>(() => _client.CancelJobAsync(failed.Id))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<JobwatchApiException>(() => _client.RetryJobAsync(555555))).Status);

        await _server.Jobs.PauseQueueAsync("critical");
        var retried = await _client.RetryJobAsync(failed.Id);
        Assert.Equal("waiting", retried.State);
        var cancelled = await _client.CancelJobAsync(failed.Id);
        Assert.Equal("cancelled", cancelled.State);

        await _server.Jobs.ResumeQueueAsync("critical");
        var again = await _client.EnqueueJobAsync(FailHandler.Name, new FailArgs(500));
        await _server.WaitForJobAsync(again.Id, j => j.State == JobState.Failed, "failed");
        var bulk = await _client.RetryDeadLettersAsync(new DeadLetterRetryRequest { StatusCode = 500 });
        Assert.Equal([again.Id], bulk.Ids);
        Assert.Equal(0, (await _client.RetryDeadLettersAsync(new DeadLetterRetryRequest { Queue = "nowhere" })).Count);

        Assert.True(await _client.DeleteJobAsync(done.Id));
        Assert.False(await _client.DeleteJobAsync(done.Id));
        Assert.Null(await _client.GetJobAsync(done.Id));
    }
}
