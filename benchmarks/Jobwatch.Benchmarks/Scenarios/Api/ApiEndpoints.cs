namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// One measured request. <see cref="PageOf"/> names another endpoint whose response's next cursor is
/// appended as <c>cursor=</c> (a second page); <c>{mid}</c> in a path is a job id from the middle of the
/// fill. <see cref="Baseline"/> marks requests that read no jobs and show what HTTP, routing and auth
/// cost alone. <see cref="GradesHealth"/>: 503 is an answer (unhealthy), not an error.
/// </summary>
public sealed record ApiEndpoint(string Key, string Path, string? PageOf = null, bool Baseline = false, bool GradesHealth = false);

/// <summary>
/// What the api scenario measures: every monitoring read a dashboard, the CLI or a script makes, with
/// filters chosen to hit different shapes of the data (a busy queue, a rare status code, the
/// dead-letter queue, a common and a rare text).
/// </summary>
public static class ApiEndpoints
{
    /// <summary>A name of a mid-volume queue, for <c>job_name=</c>.</summary>
    public const string HistoryName = "inventory_sync";

    /// <summary>A paused queue without jobs, as operators leave behind: listed by the queue endpoints, and the worst case of a queue filter.</summary>
    public const string IdleQueue = "maintenance";

    public static IReadOnlyList<ApiEndpoint> All { get; } =
    [
        new("health", "api/health", Baseline: true),
        new("status_codes", "api/v1/status-codes", Baseline: true),
        new("history", "api/monitoring/jobs/history?limit=20"),
        new("history_by_name", $"api/monitoring/jobs/history?job_name={HistoryName}&limit=20"),
        new("summary", "api/monitoring/jobs/summary"),
        new("active", "api/monitoring/jobs/active"),
        new("job_detail", "api/monitoring/jobs/{mid}"),
        new("search", "api/v1/jobs"),
        new("search_page2", "api/v1/jobs", PageOf: "search"),
        new("search_queue", "api/v1/jobs?queue=reports"),
        new("search_queue_rare", "api/v1/jobs?queue=critical"),
        new("search_queue_idle", $"api/v1/jobs?queue={IdleQueue}"),
        new("search_failed", "api/v1/jobs?state=failed"),
        new("search_failed_page2", "api/v1/jobs?state=failed", PageOf: "search_failed"),
        new("search_queue_failed", "api/v1/jobs?queue=critical&state=failed"),
        new("search_status_code", "api/v1/jobs?status_code=429"),
        new("search_recently_finished", "api/v1/jobs?order=recently_finished"),
        new("search_text", "api/v1/jobs?q=globex"),
        new("search_text_rare", "api/v1/jobs?q=quota%20exceeded"),
        new("failed_stats", "api/v1/jobs/failed/stats"),
        new("failed_recent", "api/v1/jobs/failed/recent?limit=20"),
        new("queue_health", "api/v1/health/queues", GradesHealth: true),
        new("queues", "api/v1/queues"),
    ];
}
