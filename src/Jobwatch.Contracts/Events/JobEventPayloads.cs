using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Events;

/// <summary>
/// What every hub and SSE event carries (seed 003 camelCase). Sent as is for job-created, job-started,
/// job-cancelled, job-retried and job-deleted; the other events add their own fields. Counters are the job's
/// at the moment of the event; <see cref="Percent"/>, <see cref="ItemsPerSecond"/> and <see cref="EtaSeconds"/>
/// are filled on progress events and snapshots.
/// </summary>
public record JobEventPayload
{
    [JsonPropertyName("jobId")] public long JobId { get; init; }
    [JsonPropertyName("queue")] public string Queue { get; init; } = "";
    /// <summary>The registered job name (e.g. <c>high_priority_tick_sync</c>).</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("type")] public string? Type { get; init; }
    /// <summary>waiting, delayed, active, completed, failed or cancelled, after the event.</summary>
    [JsonPropertyName("state")] public string State { get; init; } = "";
    [JsonPropertyName("attempt")] public int Attempt { get; init; }
    [JsonPropertyName("maxAttempts")] public int MaxAttempts { get; init; }
    /// <summary>Seed 000's numeric status code of the last finished attempt, with its label.</summary>
    [JsonPropertyName("statusCode")] public int? StatusCode { get; init; }
    [JsonPropertyName("statusLabel")] public string? StatusLabel { get; init; }
    /// <summary>Seed 000's sources: who enqueued the job, and who last touched it.</summary>
    [JsonPropertyName("createdBy")] public string? CreatedBy { get; init; }
    [JsonPropertyName("updatedBy")] public string? UpdatedBy { get; init; }
    [JsonPropertyName("workerId")] public string? WorkerId { get; init; }
    /// <summary>An external run: another process executes it and only reports.</summary>
    [JsonPropertyName("external")] public bool External { get; init; }
    /// <summary>When it happened (UTC).</summary>
    [JsonPropertyName("timestamp")] public DateTimeOffset Timestamp { get; init; }
    /// <summary>True when sent on subscribing, as the job's state at that moment, rather than as it happened.</summary>
    [JsonPropertyName("snapshot")] public bool Snapshot { get; init; }
    [JsonPropertyName("totalItems")] public long? TotalItems { get; init; }
    [JsonPropertyName("itemsProcessed")] public long ItemsProcessed { get; init; }
    [JsonPropertyName("itemsSucceeded")] public long ItemsSucceeded { get; init; }
    [JsonPropertyName("itemsFailed")] public long ItemsFailed { get; init; }
    /// <summary>0–100: items over total when counted, else the percent the handler reported; null when unknown.</summary>
    [JsonPropertyName("percent")] public double? Percent { get; init; }
    [JsonPropertyName("itemsPerSecond")] public double? ItemsPerSecond { get; init; }
    /// <summary>Estimated seconds left at the current rate.</summary>
    [JsonPropertyName("etaSeconds")] public double? EtaSeconds { get; init; }
}

/// <summary><c>job-progress</c>. <see cref="Progress"/> repeats <see cref="JobEventPayload.Percent"/> under seed 003's name (<c>data.progress</c>).</summary>
public sealed record JobProgressPayload : JobEventPayload
{
    [JsonPropertyName("progress")] public double? Progress { get; init; }
}

/// <summary><c>custom-progress</c>: the object the handler passed to <c>ReportCustom</c>, as JSON.</summary>
public sealed record CustomProgressPayload : JobEventPayload
{
    [JsonPropertyName("custom")] public JsonElement Custom { get; init; }
}

/// <summary><c>job-completed</c>, with seed 003's <c>processingTime</c>.</summary>
public sealed record JobCompletedPayload : JobEventPayload
{
    /// <summary>How long the attempt ran, in milliseconds (null for an external run's live event, which does not time it).</summary>
    [JsonPropertyName("processingTime")] public double? ProcessingTime { get; init; }
}

/// <summary><c>job-failed</c>: an attempt failed.</summary>
public sealed record JobFailedPayload : JobEventPayload
{
    [JsonPropertyName("error")] public string? Error { get; init; }
    /// <summary>True: job-retrying follows and the job runs again at <see cref="RetryAt"/>. False: job-dead-lettered follows.</summary>
    [JsonPropertyName("willRetry")] public bool WillRetry { get; init; }
    [JsonPropertyName("retryAt")] public DateTimeOffset? RetryAt { get; init; }
    /// <summary>How long the failed attempt ran, in milliseconds.</summary>
    [JsonPropertyName("processingTime")] public double? ProcessingTime { get; init; }
}

/// <summary><c>job-retrying</c>: the job waits for its backoff and runs again at <see cref="RetryAt"/>.</summary>
public sealed record JobRetryingPayload : JobEventPayload
{
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("retryAt")] public DateTimeOffset? RetryAt { get; init; }
}

/// <summary><c>job-stalled</c>: its lease expired. <see cref="Requeued"/> says whether it waits to run again or has ended (job-dead-lettered follows).</summary>
public sealed record JobStalledPayload : JobEventPayload
{
    [JsonPropertyName("requeued")] public bool Requeued { get; init; }
}

/// <summary><c>job-dead-lettered</c>: no attempts left; the job is in the dead-letter queue with its last error.</summary>
public sealed record JobDeadLetteredPayload : JobEventPayload
{
    [JsonPropertyName("error")] public string? Error { get; init; }
}

/// <summary>SSE <c>reset</c>: why the stream could not resume; current state of the requested jobs follows.</summary>
public sealed record StreamResetPayload(
    [property: JsonPropertyName("reason")] string Reason);
