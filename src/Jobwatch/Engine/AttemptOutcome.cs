using Jobwatch.StatusCodes;

namespace Jobwatch.Engine;

/// <summary>How one attempt ended, before it is turned into a storage outcome.</summary>
internal sealed record AttemptOutcome(int StatusCode, string? ResultJson, string? Error, string? Stack, Exception? Exception, bool ForceFinal)
{
    public static AttemptOutcome Classify(StatusCodeDefinition code, string? resultJson, string? message) =>
        code.Class switch
        {
            StatusCodeClass.Success or StatusCodeClass.Skipped => new(code.Code, resultJson, null, null, null, false),
            StatusCodeClass.Error => new(code.Code, resultJson, message ?? $"{code.Label}: {code.Description}", null, null, false),
            // 1xx means "not processed"; a handler returning it is a bug, so it fails and says so.
            _ => new(JobStatusCodes.InternalError, null, $"The handler returned the pending code {code.Code} {code.Label}; return a 2xx, 3xx or error code.", null, null, true),
        };

    public static AttemptOutcome FromException(int statusCode, Exception ex, bool forceFinal = false) =>
        new(statusCode, null, ex.Message, ex.ToString(), ex, forceFinal);

    /// <summary>The exception worth a stack trace in the log: not a failure the handler chose on purpose (JobFailedException without a cause).</summary>
    public Exception? LoggableException => Exception is Handlers.JobFailedException { InnerException: null } ? null : Exception;

    public bool IsSuccess => StatusCodeDefinition.ClassOf(StatusCode) is StatusCodeClass.Success or StatusCodeClass.Skipped && Error is null;
}
