using System.Text.Json.Serialization;
using Jobwatch.Contracts.QueueHealth;

namespace Jobwatch.Contracts.QueueMonitor;

/// <summary>
/// <c>GET /api/queue-monitor/stats</c>, seed 000's "are jobs completing?" check. The seed names the endpoint but not its
/// body; this follows its camelCase and its terms: per-queue job counts, and failures by status code with their labels.
/// </summary>
public sealed record QueueMonitorStats(
    [property: JsonPropertyName("timestamp"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset Timestamp,
    [property: JsonPropertyName("queues")] IReadOnlyList<QueueMonitorQueue> Queues,
    [property: JsonPropertyName("totals")] QueueMonitorCounts Totals,
    /// <summary>Failed jobs (the dead-letter queue) by status code, highest count first.</summary>
    [property: JsonPropertyName("failedByStatusCode")] IReadOnlyList<StatusCodeCount> FailedByStatusCode);

public sealed record QueueMonitorQueue(
    [property: JsonPropertyName("queueName")] string QueueName,
    [property: JsonPropertyName("isPaused")] bool IsPaused,
    [property: JsonPropertyName("counts")] QueueMonitorCounts Counts,
    /// <summary>When a job of this queue last finished; null when none has.</summary>
    [property: JsonPropertyName("lastJobProcessed"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset? LastJobProcessed);

/// <summary>Jobs by state. <c>waiting</c> counts due jobs even while the queue is paused (see <c>isPaused</c>).</summary>
public sealed record QueueMonitorCounts(
    [property: JsonPropertyName("waiting")] long Waiting,
    [property: JsonPropertyName("active")] long Active,
    [property: JsonPropertyName("completed")] long Completed,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("delayed")] long Delayed,
    [property: JsonPropertyName("cancelled")] long Cancelled);

/// <summary>A number of jobs with one status code, labelled from the status-code registry (seed 000's status_code/status_label).</summary>
public sealed record StatusCodeCount(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("statusLabel")] string StatusLabel,
    [property: JsonPropertyName("count")] long Count);
