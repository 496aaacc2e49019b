using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Jobwatch.Contracts.QueueHealth;

namespace Jobwatch.Client;

public sealed partial class JobwatchClient
{
    /// <summary>
    /// <c>GET /api/v1/health/queues</c> (seed 003). An unhealthy system answers 503 with the same body, which is
    /// returned rather than thrown, so callers can show which queue is unhealthy and why.
    /// </summary>
    public async Task<QueueHealthResponse> GetQueueHealthAsync(CancellationToken ct = default)
    {
        using var response = await _http.GetAsync("api/v1/health/queues", ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            return (await response.Content.ReadFromJsonAsync<QueueHealthResponse>(Json, ct).ConfigureAwait(false))!;
        }
        return await ReadAsync<QueueHealthResponse>(response, ct).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/jobs/failed/stats</c>: dead-letter queue statistics and the monitored queues (seed 003).</summary>
    public Task<FailedJobStats> GetFailedJobStatsAsync(CancellationToken ct = default) =>
        GetAsync<FailedJobStats>("api/v1/jobs/failed/stats", ct);

    /// <summary><c>GET /api/v1/jobs/failed/recent</c>: the most recently failed jobs first.</summary>
    /// <param name="limit">1–100; null for the server's default (20).</param>
    public async Task<IReadOnlyList<FailedJob>> GetRecentFailedJobsAsync(int? limit = null, CancellationToken ct = default)
    {
        var path = "api/v1/jobs/failed/recent" + (limit is { } l ? "?limit=" + l.ToString(CultureInfo.InvariantCulture) : "");
        return (await GetAsync<FailedJobList>(path, ct).ConfigureAwait(false)).Jobs;
    }
}
