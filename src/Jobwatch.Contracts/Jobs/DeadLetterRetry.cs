using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Jobs;

/// <summary><c>POST /api/v1/jobs/dead-letters/retry</c>: which failed jobs to send back to waiting. Send <c>{}</c> for all (up to <c>limit</c>).</summary>
public sealed record DeadLetterRetryRequest
{
    [JsonPropertyName("queue")] public string? Queue { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("status_code")] public int? StatusCode { get; init; }
    /// <summary>Failed (finished) at or after.</summary>
    [JsonPropertyName("failed_after")] public DateTimeOffset? FailedAfter { get; init; }
    /// <summary>Failed (finished) before.</summary>
    [JsonPropertyName("failed_before")] public DateTimeOffset? FailedBefore { get; init; }
    /// <summary>At most this many jobs (1–10,000; default 1,000).</summary>
    [JsonPropertyName("limit")] public int? Limit { get; init; }
}

public sealed record DeadLetterRetryResponse(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("ids")] IReadOnlyList<long> Ids);
