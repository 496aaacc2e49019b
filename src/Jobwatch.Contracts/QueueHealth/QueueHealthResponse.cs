using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.QueueHealth;

/// <summary>
/// <c>GET /api/v1/health/queues</c> in seed 003's camelCase layout. Where the seed has <c>redis</c>, Jobwatch reports
/// its storage under <c>storage</c> (SQLite or PostgreSQL: there is no Redis, and a <c>redis</c> key would be a lie).
/// 200 while healthy or degraded, 503 when unhealthy, as ASP.NET Core health checks answer, so a probe can act on the
/// status code alone. Issues are sentences naming the queue, the figure and the threshold.
/// </summary>
public sealed record QueueHealthResponse(
    /// <summary>healthy, degraded or unhealthy: the worst of the storage and the queues.</summary>
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timestamp"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset Timestamp,
    [property: JsonPropertyName("storage")] StorageHealthDetails Storage,
    [property: JsonPropertyName("queues")] IReadOnlyList<QueueHealthEntry> Queues,
    [property: JsonPropertyName("summary")] QueueHealthSummary Summary,
    /// <summary>Every issue: the storage's, then each queue's.</summary>
    [property: JsonPropertyName("issues")] IReadOnlyList<string> Issues);

/// <summary>
/// Seed 003's <c>redis</c> object for Jobwatch's storage. Redis's <c>memory</c>, <c>clients</c> and <c>uptime</c> have
/// no counterpart in a SQL store and are left out; <c>backend</c> (sqlite, postgres) and <c>error</c> are added.
/// </summary>
public sealed record StorageHealthDetails(
    [property: JsonPropertyName("backend")] string Backend,
    /// <summary>healthy or unhealthy.</summary>
    [property: JsonPropertyName("status")] string Status,
    /// <summary>connected or disconnected.</summary>
    [property: JsonPropertyName("connectionStatus")] string ConnectionStatus,
    /// <summary>Milliseconds the cheapest query took.</summary>
    [property: JsonPropertyName("responseTime")] double ResponseTime,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("issues")] IReadOnlyList<string> Issues);

public sealed record QueueHealthEntry(
    [property: JsonPropertyName("queueName")] string QueueName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("stats")] QueueJobStats Stats,
    [property: JsonPropertyName("details")] QueueHealthDetails Details,
    [property: JsonPropertyName("issues")] IReadOnlyList<string> Issues);

/// <summary>
/// Job counts as BullMQ's <c>getJobCounts()</c> gives them: while a queue is paused its due jobs count as
/// <c>paused</c>, not <c>waiting</c>. Retries waiting out their backoff are <c>delayed</c>.
/// </summary>
public sealed record QueueJobStats(
    [property: JsonPropertyName("waiting")] long Waiting,
    [property: JsonPropertyName("active")] long Active,
    [property: JsonPropertyName("completed")] long Completed,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("delayed")] long Delayed,
    [property: JsonPropertyName("paused")] long Paused);

public sealed record QueueHealthDetails(
    /// <summary>A worker in the answering process serves the queue and the queue is not paused.</summary>
    [property: JsonPropertyName("isRunning")] bool IsRunning,
    [property: JsonPropertyName("isPaused")] bool IsPaused,
    /// <summary>The serving worker's concurrency; null when no worker in this process serves the queue.</summary>
    [property: JsonPropertyName("processingCapacity")] int? ProcessingCapacity,
    /// <summary>Mean run time in milliseconds of the queue's 50 most recently finished jobs; null when none finished.</summary>
    [property: JsonPropertyName("avgProcessingTime")] long? AvgProcessingTime,
    /// <summary>failed ÷ (completed + failed) over the jobs kept in storage, 0–1 (seed 003's 0.008 is 0.8 %).</summary>
    [property: JsonPropertyName("errorRate")] double ErrorRate,
    [property: JsonPropertyName("lastJobProcessed"), JsonConverter(typeof(UtcMillisecondsJsonConverter))] DateTimeOffset? LastJobProcessed,
    /// <summary>Jobwatch's addition: active jobs whose lease expired (seed 003's stale jobs).</summary>
    [property: JsonPropertyName("staleJobs")] long StaleJobs,
    /// <summary>Jobwatch's addition: seconds the oldest due job has waited; null when none waits.</summary>
    [property: JsonPropertyName("oldestWaitingSeconds")] long? OldestWaitingSeconds);

public sealed record QueueHealthSummary(
    [property: JsonPropertyName("totalQueues")] int TotalQueues,
    [property: JsonPropertyName("healthyQueues")] int HealthyQueues,
    [property: JsonPropertyName("degradedQueues")] int DegradedQueues,
    [property: JsonPropertyName("unhealthyQueues")] int UnhealthyQueues,
    [property: JsonPropertyName("totalJobs")] QueueHealthTotals TotalJobs);

public sealed record QueueHealthTotals(
    [property: JsonPropertyName("waiting")] long Waiting,
    [property: JsonPropertyName("active")] long Active,
    [property: JsonPropertyName("completed")] long Completed,
    [property: JsonPropertyName("failed")] long Failed);
