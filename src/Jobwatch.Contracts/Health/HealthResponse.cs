using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Health;

/// <summary><c>GET /api/health</c>: is the server up and can it reach its storage. 200 when healthy, 503 when the storage does not answer.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("storage")] StorageHealthDto Storage);

public sealed record StorageHealthDto(
    [property: JsonPropertyName("backend")] string Backend,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("response_ms")] double ResponseMs,
    [property: JsonPropertyName("error")] string? Error);
