namespace Jobwatch.Storage;

public enum JobFinishKind
{
    /// <summary>active → completed (success or skip code).</summary>
    Complete,
    /// <summary>active → delayed until <see cref="JobFinish.RetryAt"/> (error with attempts left).</summary>
    Retry,
    /// <summary>active → failed: the dead-letter queue.</summary>
    DeadLetter,
    /// <summary>active → waiting with the attempt given back (graceful shutdown).</summary>
    Release,
}

/// <summary>
/// One allowed outcome of an attempt. Built only through the named constructors, so every outcome
/// carries exactly the fields it needs; the store applies a batch of them in one guarded transaction.
/// </summary>
public sealed record JobFinish
{
    public required JobFinishKind Kind { get; init; }
    public required long JobId { get; init; }
    public required string WorkerId { get; init; }
    public required int Attempt { get; init; }
    public int? StatusCode { get; init; }
    public string? StatusLabel { get; init; }
    public string? Result { get; init; }
    public string? Error { get; init; }
    public string? ErrorStack { get; init; }
    public DateTimeOffset? RetryAt { get; init; }
    /// <summary>The final progress, saved with the outcome so nothing reported is lost.</summary>
    public JobProgressUpdate? Progress { get; init; }
    /// <summary>When the attempt ended (finished_at for terminal outcomes).</summary>
    public required DateTimeOffset At { get; init; }

    public static JobFinish Complete(long jobId, string workerId, int attempt, int statusCode, string statusLabel, string? result, JobProgressUpdate? progress, DateTimeOffset at) =>
        new() { Kind = JobFinishKind.Complete, JobId = jobId, WorkerId = workerId, Attempt = attempt, StatusCode = statusCode, StatusLabel = statusLabel, Result = result, Progress = progress, At = at };

    public static JobFinish Retry(long jobId, string workerId, int attempt, int statusCode, string statusLabel, string error, string? stack, DateTimeOffset retryAt, JobProgressUpdate? progress, DateTimeOffset at) =>
        new() { Kind = JobFinishKind.Retry, JobId = jobId, WorkerId = workerId, Attempt = attempt, StatusCode = statusCode, StatusLabel = statusLabel, Error = error, ErrorStack = stack, RetryAt = retryAt, Progress = progress, At = at };

    public static JobFinish DeadLetter(long jobId, string workerId, int attempt, int statusCode, string statusLabel, string error, string? stack, JobProgressUpdate? progress, DateTimeOffset at) =>
        new() { Kind = JobFinishKind.DeadLetter, JobId = jobId, WorkerId = workerId, Attempt = attempt, StatusCode = statusCode, StatusLabel = statusLabel, Error = error, ErrorStack = stack, Progress = progress, At = at };

    public static JobFinish Release(long jobId, string workerId, int attempt, JobProgressUpdate? progress, DateTimeOffset at) =>
        new() { Kind = JobFinishKind.Release, JobId = jobId, WorkerId = workerId, Attempt = attempt, Progress = progress, At = at };
}
