using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Jobs;

/// <summary>
/// One job as <c>/api/v1/jobs</c> shows it: the stored record plus the figures derived at read time (percent, rate,
/// elapsed, ETA). JSON fields (<c>args</c>, <c>metadata</c>, <c>custom_progress</c>, <c>result</c>) travel as JSON, not as strings.
/// </summary>
public sealed record JobDto
{
    [JsonPropertyName("id")] public required long Id { get; init; }
    [JsonPropertyName("queue")] public required string Queue { get; init; }
    /// <summary>The registered job name (e.g. <c>high_priority_tick_sync</c>).</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    /// <summary>waiting, delayed, active, completed, failed or cancelled.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("status_code")] public int? StatusCode { get; init; }
    [JsonPropertyName("status_label")] public string? StatusLabel { get; init; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; init; }
    [JsonPropertyName("updated_by")] public string? UpdatedBy { get; init; }
    [JsonPropertyName("args")] public JsonElement? Args { get; init; }
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    [JsonPropertyName("priority")] public int Priority { get; init; }
    [JsonPropertyName("attempt")] public int Attempt { get; init; }
    [JsonPropertyName("max_attempts")] public int MaxAttempts { get; init; }
    [JsonPropertyName("stalled_count")] public int StalledCount { get; init; }
    /// <summary>An external run: another process executes it and only reports.</summary>
    [JsonPropertyName("external")] public bool External { get; init; }
    [JsonPropertyName("run_at")] public DateTimeOffset RunAt { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; init; }
    [JsonPropertyName("worker_id")] public string? WorkerId { get; init; }
    [JsonPropertyName("timeout_ms")] public long? TimeoutMs { get; init; }
    [JsonPropertyName("total_items")] public long? TotalItems { get; init; }
    [JsonPropertyName("items_processed")] public long ItemsProcessed { get; init; }
    [JsonPropertyName("items_succeeded")] public long ItemsSucceeded { get; init; }
    [JsonPropertyName("items_failed")] public long ItemsFailed { get; init; }
    [JsonPropertyName("progress_percent")] public double? ProgressPercent { get; init; }
    [JsonPropertyName("items_per_second")] public double? ItemsPerSecond { get; init; }
    [JsonPropertyName("elapsed_seconds")] public double? ElapsedSeconds { get; init; }
    [JsonPropertyName("eta_seconds")] public double? EtaSeconds { get; init; }
    [JsonPropertyName("duration_seconds")] public double? DurationSeconds { get; init; }
    [JsonPropertyName("custom_progress")] public JsonElement? CustomProgress { get; init; }
    [JsonPropertyName("last_error")] public string? LastError { get; init; }
    [JsonPropertyName("result")] public JsonElement? Result { get; init; }
}

/// <summary>One thing that happened to a job (created, started, retrying, dead_lettered, cancelled, retried, …).</summary>
public sealed record JobTimelineEntryDto(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("status_code")] int? StatusCode,
    [property: JsonPropertyName("worker_id")] string? WorkerId,
    [property: JsonPropertyName("message")] string? Message);

/// <summary><c>GET /api/v1/jobs/{id}</c>: the job, its last error's stack, its trace parent and its timeline (oldest first).</summary>
public sealed record JobDetailResponse(
    [property: JsonPropertyName("job")] JobDto Job,
    [property: JsonPropertyName("last_error_stack")] string? LastErrorStack,
    [property: JsonPropertyName("trace_parent")] string? TraceParent,
    [property: JsonPropertyName("timeline")] IReadOnlyList<JobTimelineEntryDto> Timeline);

/// <summary>
/// <c>GET /api/v1/jobs</c>: one page. Pass <c>next_cursor</c> back as <c>cursor</c> (with the same filters and order)
/// for the next page; it is null on the last page.
/// </summary>
public sealed record JobListResponse(
    [property: JsonPropertyName("jobs")] IReadOnlyList<JobDto> Jobs,
    [property: JsonPropertyName("next_cursor")] string? NextCursor,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("order")] string Order);
