using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.StatusCodes;

/// <summary>One registered status code (seed 000): <c>GET /api/v1/status-codes</c> returns <c>{"codes":[…]}</c>.</summary>
public sealed record StatusCodeDto(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("description")] string Description,
    /// <summary>pending, success, skipped or error.</summary>
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("retryable")] bool Retryable,
    /// <summary>"jobwatch" for built-in codes, else who registered it.</summary>
    [property: JsonPropertyName("registered_by")] string RegisteredBy);

public sealed record StatusCodeList([property: JsonPropertyName("codes")] IReadOnlyList<StatusCodeDto> Codes);
