using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Jobwatch.Contracts.Jobs;

namespace Jobwatch.Client;

public sealed partial class JobwatchClient
{
    /// <summary><c>GET /api/v1/jobs</c>: one page of jobs matching <paramref name="query"/> (all jobs, newest first, when null).</summary>
    /// <remarks>Pass the page's <see cref="JobListResponse.NextCursor"/> as <see cref="JobSearchQuery.Cursor"/> for the next page; <see cref="SearchAllJobsAsync"/> does that for you.</remarks>
    public Task<JobListResponse> SearchJobsAsync(JobSearchQuery? query = null, CancellationToken ct = default) =>
        GetAsync<JobListResponse>("api/v1/jobs" + (query ?? new JobSearchQuery()).ToQueryString(), ct);

    /// <summary>Every job matching <paramref name="query"/>, fetching page after page (of <see cref="JobSearchQuery.Limit"/>) as the caller enumerates.</summary>
    public async IAsyncEnumerable<JobDto> SearchAllJobsAsync(JobSearchQuery? query = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        query ??= new JobSearchQuery();
        while (true)
        {
            var page = await SearchJobsAsync(query, ct).ConfigureAwait(false);
            foreach (var job in page.Jobs)
            {
                yield return job;
            }
            if (page.NextCursor is null)
            {
                yield break;
            }
            query = query with { Cursor = page.NextCursor };
        }
    }

    /// <summary><c>GET /api/v1/jobs/{id}</c>: the job with its timeline, or null when no job has that id.</summary>
    public Task<JobDetailResponse?> GetJobAsync(long id, CancellationToken ct = default) =>
        GetOrNullAsync<JobDetailResponse>(JobPath(id), ct);

    /// <summary><c>POST /api/v1/jobs</c>: enqueues one job of a registered name. Invalid fields throw <see cref="JobwatchApiException"/> with <see cref="JobwatchApiException.Errors"/> per field.</summary>
    public Task<EnqueuedJobDto> EnqueueJobAsync(EnqueueJobRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<EnqueuedJobDto>(HttpMethod.Post, "api/v1/jobs", request, ct);
    }

    /// <summary><c>POST /api/v1/jobs</c> with <paramref name="args"/> serialized as the job's arguments (any object, or null for <c>{}</c>) and the handler's defaults.</summary>
    public Task<EnqueuedJobDto> EnqueueJobAsync(string name, object? args = null, CancellationToken ct = default) =>
        EnqueueJobAsync(new EnqueueJobRequest { Name = name, Args = ToElement(args) }, ct);

    /// <summary><c>POST /api/v1/jobs/batch</c>: enqueues up to 1,000 jobs, all or nothing; ids come back in request order.</summary>
    public Task<EnqueueBatchResponse> EnqueueJobsAsync(IReadOnlyList<EnqueueJobRequest> jobs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return SendAsync<EnqueueBatchResponse>(HttpMethod.Post, "api/v1/jobs/batch", new EnqueueBatchRequest(jobs), ct);
    }

    /// <summary><c>POST /api/v1/jobs/{id}/retry</c>: a failed or cancelled job back to waiting. A job in another state throws <see cref="JobwatchApiException"/> with status 409; an unknown id, 404.</summary>
    public Task<JobDto> RetryJobAsync(long id, CancellationToken ct = default) =>
        SendAsync<JobDto>(HttpMethod.Post, JobPath(id) + "/retry", null, ct);

    /// <summary><c>POST /api/v1/jobs/{id}/cancel</c>: cancels a waiting, delayed or running job (409 otherwise, 404 when unknown).</summary>
    public Task<JobDto> CancelJobAsync(long id, CancellationToken ct = default) =>
        SendAsync<JobDto>(HttpMethod.Post, JobPath(id) + "/cancel", null, ct);

    /// <summary><c>DELETE /api/v1/jobs/{id}</c>: deletes the job and its timeline. False when no job had that id.</summary>
    public async Task<bool> DeleteJobAsync(long id, CancellationToken ct = default)
    {
        using var response = await _http.DeleteAsync(JobPath(id), ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary><c>POST /api/v1/jobs/dead-letters/retry</c>: retries failed jobs matching <paramref name="filter"/> (all, up to the server's default limit, when null).</summary>
    public Task<DeadLetterRetryResponse> RetryDeadLettersAsync(DeadLetterRetryRequest? filter = null, CancellationToken ct = default) =>
        SendAsync<DeadLetterRetryResponse>(HttpMethod.Post, "api/v1/jobs/dead-letters/retry", filter ?? new DeadLetterRetryRequest(), ct);

    private static string JobPath(long id) => "api/v1/jobs/" + id.ToString(CultureInfo.InvariantCulture);

    private static JsonElement? ToElement(object? value) => value switch
    {
        null => null,
        JsonElement e => e,
        _ => JsonSerializer.SerializeToElement(value, value.GetType(), Json),
    };
}
