using System.Text.Json;
using Jobwatch.StatusCodes;

namespace Jobwatch.Handlers;

/// <summary>What a handler returns: a status code (seed 000) and an optional JSON result.</summary>
public sealed record JobResult(int StatusCode, string? ResultJson = null, string? Message = null)
{
    public static JobResult Success() => new(JobStatusCodes.Success);
    public static JobResult Success(object? result) => new(JobStatusCodes.Success, Serialize(result));
    /// <summary>Any code: 2xx completes, 3xx completes as skipped, 4xx/5xx fails the attempt (retried only when the code is retryable).</summary>
    public static JobResult Code(int statusCode, object? result = null, string? message = null) => new(statusCode, Serialize(result), message);
    public static JobResult Skipped(int statusCode, string? message = null) => new(statusCode, null, message);
    public static JobResult Error(int statusCode, string message) => new(statusCode, null, message);

    private static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value);
}

/// <summary>Throw from a handler to fail the attempt with a specific status code (e.g. 429 to be retried with backoff).</summary>
public sealed class JobFailedException(int statusCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;
}
