using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Runs;

/// <summary>
/// <c>POST /api/v1/runs</c>: starts an external run (seed 001's <c>StartJob</c>), work another process does and Jobwatch
/// tracks like a queued job. Only <see cref="Name"/> is required.
/// </summary>
public sealed record StartRunRequest
{
    /// <summary>The job name the run is listed under (e.g. <c>high_priority_tick_sync</c>); 1–200 characters.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>A category shared by several names (e.g. <c>tick_sync</c>); defaults to the name.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }
    /// <summary>The queue it is listed under; defaults to <c>external</c>.</summary>
    [JsonPropertyName("queue")] public string? Queue { get; init; }
    [JsonPropertyName("total_items")] public long? TotalItems { get; init; }
    /// <summary>A JSON object shown with the run (e.g. <c>{"priority":"high"}</c>).</summary>
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    /// <summary>The source that started it (seed 000's createdBy); defaults to the caller's token ("name (role)").</summary>
    [JsonPropertyName("created_by")] public string? CreatedBy { get; init; }
    /// <summary>Marked stalled after this many seconds without a report (1–86400); defaults to the server's setting (60).</summary>
    [JsonPropertyName("heartbeat_timeout_seconds")] public double? HeartbeatTimeoutSeconds { get; init; }
}

/// <summary>
/// <c>POST /api/v1/runs/{id}/progress</c>. Every field is optional; the ones given are applied together (a report
/// with a bad field changes nothing). Counts are increments: <c>{"items_succeeded": 10}</c> adds ten.
/// </summary>
public sealed record RunProgressRequest
{
    /// <summary>Sets (or corrects) the number of items the run will process.</summary>
    [JsonPropertyName("total_items")] public long? TotalItems { get; init; }
    /// <summary>Items that succeeded since the last report (added to the count).</summary>
    [JsonPropertyName("items_succeeded")] public long? ItemsSucceeded { get; init; }
    /// <summary>Items that failed since the last report (added to the count).</summary>
    [JsonPropertyName("items_failed")] public long? ItemsFailed { get; init; }
    /// <summary>0–100, for work that does not count items.</summary>
    [JsonPropertyName("percent")] public double? Percent { get; init; }
    /// <summary>A JSON object of custom progress (seed 003's custom-progress), e.g. <c>{"batch":3,"total_batches":5}</c>; replaces the previous one.</summary>
    [JsonPropertyName("custom")] public JsonElement? Custom { get; init; }
    /// <summary>The source reporting (seed 000's updatedBy).</summary>
    [JsonPropertyName("updated_by")] public string? UpdatedBy { get; init; }
}

/// <summary><c>POST /api/v1/runs/{id}/complete</c>. The body is optional: no body completes with 200 SUCCESS.</summary>
public sealed record CompleteRunRequest
{
    /// <summary>A registered success (2xx) or skip (3xx) code; default 200.</summary>
    [JsonPropertyName("status_code")] public int? StatusCode { get; init; }
    /// <summary>Any JSON value kept as the run's result.</summary>
    [JsonPropertyName("result")] public JsonElement? Result { get; init; }
    /// <summary>A last progress report, applied before the run completes (saves a round trip).</summary>
    [JsonPropertyName("progress")] public RunProgressRequest? Progress { get; init; }
}

/// <summary><c>POST /api/v1/runs/{id}/fail</c>: the run goes to the dead-letter list (runs are not retried).</summary>
public sealed record FailRunRequest
{
    /// <summary>What went wrong, one line (required).</summary>
    [JsonPropertyName("error")] public required string Error { get; init; }
    /// <summary>A registered error code (4xx or 5xx); default 500.</summary>
    [JsonPropertyName("status_code")] public int? StatusCode { get; init; }
    /// <summary>A stack trace or longer diagnostic text.</summary>
    [JsonPropertyName("stack")] public string? Stack { get; init; }
    /// <summary>A last progress report, applied before the run fails.</summary>
    [JsonPropertyName("progress")] public RunProgressRequest? Progress { get; init; }
}
