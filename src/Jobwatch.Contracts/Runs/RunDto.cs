using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Runs;

/// <summary>
/// An external run as the runs API returns it: after start (201), after each report (200, with the live
/// progress), after complete/fail (its final state), and from <c>GET /api/v1/runs/{id}</c>. Progress fields
/// are named as in <c>GET /api/v1/jobs/{id}</c> (seed 001's names, plus <c>eta_seconds</c>).
/// </summary>
public sealed record RunDto
{
    [JsonPropertyName("id")] public required long Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("queue")] public required string Queue { get; init; }
    /// <summary>active, completed, failed or cancelled.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    /// <summary>How it ended: completed, failed, stalled or cancelled; null while active.</summary>
    [JsonPropertyName("ended_as")] public string? EndedAs { get; init; }
    /// <summary>True when this server holds the run and takes its reports.</summary>
    [JsonPropertyName("accepting_reports")] public bool AcceptingReports { get; init; }
    [JsonPropertyName("status_code")] public int? StatusCode { get; init; }
    [JsonPropertyName("status_label")] public string? StatusLabel { get; init; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; init; }
    [JsonPropertyName("updated_by")] public string? UpdatedBy { get; init; }
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>While active: it is marked stalled if no report arrives by then.</summary>
    [JsonPropertyName("lease_until")] public DateTimeOffset? LeaseUntil { get; init; }
    /// <summary>Known while this server holds the run.</summary>
    [JsonPropertyName("heartbeat_timeout_seconds")] public double? HeartbeatTimeoutSeconds { get; init; }
    [JsonPropertyName("total_items")] public long? TotalItems { get; init; }
    [JsonPropertyName("items_processed")] public long ItemsProcessed { get; init; }
    [JsonPropertyName("items_succeeded")] public long ItemsSucceeded { get; init; }
    [JsonPropertyName("items_failed")] public long ItemsFailed { get; init; }
    [JsonPropertyName("progress_percent")] public double? ProgressPercent { get; init; }
    [JsonPropertyName("elapsed_seconds")] public double? ElapsedSeconds { get; init; }
    [JsonPropertyName("eta_seconds")] public double? EtaSeconds { get; init; }
    [JsonPropertyName("items_per_second")] public double? ItemsPerSecond { get; init; }
    [JsonPropertyName("custom_progress")] public JsonElement? CustomProgress { get; init; }
    [JsonPropertyName("result")] public JsonElement? Result { get; init; }
    [JsonPropertyName("last_error")] public string? LastError { get; init; }
}
