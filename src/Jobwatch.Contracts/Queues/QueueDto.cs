using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Queues;

/// <summary>
/// One queue (<c>GET /api/v1/queues</c>, <c>/api/v1/queues/{name}</c>): its jobs per state, whether it is paused, how long
/// the oldest due job has waited, and, when this server runs workers for it, their concurrency and how many are busy.
/// </summary>
public sealed record QueueDto
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("paused")] public bool Paused { get; init; }
    [JsonPropertyName("counts")] public required QueueCountsDto Counts { get; init; }
    /// <summary>When the oldest due, waiting job became due (null when none waits).</summary>
    [JsonPropertyName("oldest_waiting_since")] public DateTimeOffset? OldestWaitingSince { get; init; }
    /// <summary>Seconds the oldest due job has waited, at the time of the response.</summary>
    [JsonPropertyName("oldest_waiting_seconds")] public double? OldestWaitingSeconds { get; init; }
    [JsonPropertyName("last_finished_at")] public DateTimeOffset? LastFinishedAt { get; init; }
    /// <summary>Workers this server runs for the queue; null when it runs none (another process may).</summary>
    [JsonPropertyName("concurrency")] public int? Concurrency { get; init; }
    /// <summary>Of those, how many are running a job now.</summary>
    [JsonPropertyName("busy")] public int? Busy { get; init; }
}

public sealed record QueueCountsDto(
    [property: JsonPropertyName("waiting")] long Waiting,
    [property: JsonPropertyName("delayed")] long Delayed,
    [property: JsonPropertyName("active")] long Active,
    [property: JsonPropertyName("completed")] long Completed,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("cancelled")] long Cancelled);

/// <summary><c>GET /api/v1/queues</c>, sorted by name.</summary>
public sealed record QueueListResponse([property: JsonPropertyName("queues")] IReadOnlyList<QueueDto> Queues);
