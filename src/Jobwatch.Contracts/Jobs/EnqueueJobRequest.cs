using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Jobs;

/// <summary>
/// <c>POST /api/v1/jobs</c> (and each item of <c>/batch</c>): a job for a registered name. Anything left null takes the
/// handler's registered default; <c>created_by</c> defaults to the caller's token.
/// </summary>
public sealed record EnqueueJobRequest
{
    /// <summary>A registered job name; an unknown name is refused with the list of registered ones.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>The handler's arguments (usually an object); must fit the handler's argument type. Null means <c>{}</c>.</summary>
    [JsonPropertyName("args")] public JsonElement? Args { get; init; }
    [JsonPropertyName("queue")] public string? Queue { get; init; }
    /// <summary>Run after this many seconds (0 or more; exclusive with <see cref="RunAt"/>).</summary>
    [JsonPropertyName("delay_seconds")] public double? DelaySeconds { get; init; }
    [JsonPropertyName("run_at")] public DateTimeOffset? RunAt { get; init; }
    /// <summary>Higher runs first.</summary>
    [JsonPropertyName("priority")] public int? Priority { get; init; }
    [JsonPropertyName("max_attempts")] public int? MaxAttempts { get; init; }
    [JsonPropertyName("timeout_seconds")] public double? TimeoutSeconds { get; init; }
    /// <summary>A JSON object kept with the job.</summary>
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    /// <summary>Who enqueued it (seed 000's createdBy); defaults to the caller's token name and role.</summary>
    [JsonPropertyName("created_by")] public string? CreatedBy { get; init; }
}

/// <summary><c>POST /api/v1/jobs/batch</c>: many jobs, enqueued all or nothing.</summary>
public sealed record EnqueueBatchRequest([property: JsonPropertyName("jobs")] IReadOnlyList<EnqueueJobRequest> Jobs);

/// <summary>A job just enqueued: its id, where it went and where to read it.</summary>
public sealed record EnqueuedJobDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("queue")] string Queue,
    /// <summary>The job's URL relative to the server, e.g. <c>/api/v1/jobs/42</c>.</summary>
    [property: JsonPropertyName("url")] string Url);

/// <summary><c>POST /api/v1/jobs/batch</c>: the jobs in request order.</summary>
public sealed record EnqueueBatchResponse(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("jobs")] IReadOnlyList<EnqueuedJobDto> Jobs);
