namespace Jobwatch.StatusCodes;

/// <summary>The codes every Jobwatch installation knows. Applications may re-register these to change their text.</summary>
public static class JobStatusCodes
{
    public const int Pending = 100;
    public const int Success = 200;
    public const int NotFound = 404;
    /// <summary>The handler ran longer than its timeout.</summary>
    public const int Timeout = 408;
    public const int RateLimited = 429;
    public const int InternalError = 500;
    /// <summary>A lease expired: the worker died, or an external run's reporter went silent.</summary>
    public const int Stalled = 503;

    internal const string BuiltIn = "built-in";

    public static IReadOnlyList<StatusCodeDefinition> Defaults { get; } =
    [
        new(Pending, "PENDING", "Job initialized but not yet processed", Retryable: false, BuiltIn),
        new(Success, "SUCCESS", "Job completed successfully", Retryable: false, BuiltIn),
        new(NotFound, "NOT_FOUND", "Entity not found", Retryable: false, BuiltIn),
        new(Timeout, "TIMEOUT", "The handler ran past its timeout and was cancelled", Retryable: true, BuiltIn),
        new(RateLimited, "RATE_LIMITED", "Too many requests - rate limit hit", Retryable: true, BuiltIn),
        new(InternalError, "INTERNAL_ERROR", "Unexpected error (unhandled exception)", Retryable: true, BuiltIn),
        new(Stalled, "STALLED", "The worker or reporter stopped renewing its lease", Retryable: true, BuiltIn),
    ];
}
