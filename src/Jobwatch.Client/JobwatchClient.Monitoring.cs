using System.Globalization;
using Jobwatch.Contracts.Monitoring;
using Jobwatch.Contracts.QueueMonitor;

namespace Jobwatch.Client;

public sealed partial class JobwatchClient
{
    /// <summary><c>GET /api/monitoring/jobs/active</c>: running jobs with live progress, rate and ETA (seed 001).</summary>
    public async Task<IReadOnlyList<MonitoringJob>> GetActiveJobsAsync(CancellationToken ct = default) =>
        (await GetAsync<MonitoringJobList>("api/monitoring/jobs/active", ct).ConfigureAwait(false)).Jobs;

    /// <summary><c>GET /api/monitoring/jobs/history</c>: started jobs, newest first.</summary>
    /// <param name="jobName">Only jobs of this name; null for all.</param>
    /// <param name="limit">1–100; null for the server's default (20). Out of range throws <see cref="JobwatchApiException"/> (400).</param>
    public async Task<IReadOnlyList<MonitoringJob>> GetJobHistoryAsync(string? jobName = null, int? limit = null, CancellationToken ct = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(jobName))
        {
            query.Add("job_name=" + Uri.EscapeDataString(jobName));
        }
        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        }
        var path = "api/monitoring/jobs/history" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return (await GetAsync<MonitoringJobList>(path, ct).ConfigureAwait(false)).Jobs;
    }

    /// <summary><c>GET /api/monitoring/jobs/summary</c>: the latest run of every job name, keyed by name.</summary>
    public async Task<IReadOnlyDictionary<string, MonitoringSummaryEntry>> GetJobSummaryAsync(CancellationToken ct = default) =>
        (await GetAsync<MonitoringSummary>("api/monitoring/jobs/summary", ct).ConfigureAwait(false)).Summary;

    /// <summary><c>GET /api/monitoring/jobs/{id}</c>: one job in seed 001's shape; null when no job has this id.</summary>
    public Task<MonitoringJob?> GetMonitoringJobAsync(long id, CancellationToken ct = default) =>
        GetOrNullAsync<MonitoringJob>("api/monitoring/jobs/" + id.ToString(CultureInfo.InvariantCulture), ct);

    /// <summary><c>GET /api/queue-monitor/stats</c>: job counts per queue and failures by status code (seed 000).</summary>
    public Task<QueueMonitorStats> GetQueueMonitorStatsAsync(CancellationToken ct = default) =>
        GetAsync<QueueMonitorStats>("api/queue-monitor/stats", ct);
}
