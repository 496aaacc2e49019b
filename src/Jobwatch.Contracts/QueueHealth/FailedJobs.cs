using System.Text.Json;
using System.Text.Json.Serialization;
using Jobwatch.Contracts.QueueMonitor;

namespace Jobwatch.Contracts.QueueHealth;

/// <summary>
/// <c>GET /api/v1/jobs/failed/stats</c>: seed 003's dead-letter queue statistics and monitored queues. The seed names
/// the endpoint but not its fields; these follow its camelCase and its alert's terms (queueName, failureCount).
/// </summary>
public sealed record FailedJobStats(
    [property: JsonPropertyName("timestamp"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset Timestamp,
    [property: JsonPropertyName("totalFailedJobs")] long TotalFailedJobs,
    /// <summary>Jobs that failed within the last <see cref="RecentWindowSeconds"/>.</summary>
    [property: JsonPropertyName("recentFailures")] long RecentFailures,
    [property: JsonPropertyName("recentWindowSeconds")] long RecentWindowSeconds,
    [property: JsonPropertyName("failuresByQueue")] IReadOnlyDictionary<string, long> FailuresByQueue,
    [property: JsonPropertyName("failuresByJobName")] IReadOnlyDictionary<string, long> FailuresByJobName,
    /// <summary>Highest count first, each with its label from the status-code registry.</summary>
    [property: JsonPropertyName("failuresByStatusCode")] IReadOnlyList<StatusCodeCount> FailuresByStatusCode,
    [property: JsonPropertyName("oldestFailureAt"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset? OldestFailureAt,
    [property: JsonPropertyName("newestFailureAt"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset? NewestFailureAt,
    /// <summary>Every queue known to the store or served by a worker here, failures or not.</summary>
    [property: JsonPropertyName("monitoredQueues")] IReadOnlyList<string> MonitoredQueues);

/// <summary><c>GET /api/v1/jobs/failed/recent?limit=20</c>: the most recently failed jobs first.</summary>
public sealed record FailedJobList(
    [property: JsonPropertyName("jobs")] IReadOnlyList<FailedJob> Jobs,
    [property: JsonPropertyName("count")] int Count);

/// <summary>A failure record for investigation: what ran, with which data, and how it failed.</summary>
public sealed record FailedJob(
    [property: JsonPropertyName("jobId")] long JobId,
    [property: JsonPropertyName("queueName")] string QueueName,
    [property: JsonPropertyName("jobName")] string JobName,
    [property: JsonPropertyName("jobType")] string JobType,
    [property: JsonPropertyName("statusCode")] int? StatusCode,
    [property: JsonPropertyName("statusLabel")] string? StatusLabel,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("stackTrace")] string? StackTrace,
    [property: JsonPropertyName("attemptsMade")] int AttemptsMade,
    [property: JsonPropertyName("maxAttempts")] int MaxAttempts,
    [property: JsonPropertyName("createdAt"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("failedAt"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset? FailedAt,
    [property: JsonPropertyName("createdBy")] string? CreatedBy,
    [property: JsonPropertyName("updatedBy")] string? UpdatedBy,
    /// <summary>The job's arguments (BullMQ's job.data).</summary>
    [property: JsonPropertyName("data")] JsonElement Data,
    [property: JsonPropertyName("metadata")] JsonElement? Metadata);
