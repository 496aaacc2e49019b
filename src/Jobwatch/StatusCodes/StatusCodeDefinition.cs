namespace Jobwatch.StatusCodes;

public enum StatusCodeClass
{
    /// <summary>1xx: not yet processed.</summary>
    Pending,
    /// <summary>2xx: completed successfully.</summary>
    Success,
    /// <summary>3xx: completed without doing the work (e.g. NOT_EU_REGION); not an error.</summary>
    Skipped,
    /// <summary>4xx and 5xx: the attempt failed.</summary>
    Error,
}

/// <summary>A numeric status code with its label (seed 000), e.g. 429 RATE_LIMITED.</summary>
/// <param name="RegisteredBy">Who registered it (for the duplicate-registration message), e.g. <c>built-in</c> or a handler name.</param>
public sealed record StatusCodeDefinition(int Code, string Label, string Description, bool Retryable, string RegisteredBy = "application")
{
    public StatusCodeClass Class => ClassOf(Code);

    public static StatusCodeClass ClassOf(int code) => code switch
    {
        >= 100 and < 200 => StatusCodeClass.Pending,
        >= 200 and < 300 => StatusCodeClass.Success,
        >= 300 and < 400 => StatusCodeClass.Skipped,
        >= 400 and < 600 => StatusCodeClass.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Status codes are 100–599: 1xx pending, 2xx success, 3xx skipped, 4xx/5xx error."),
    };
}
