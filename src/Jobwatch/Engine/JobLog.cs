using Jobwatch.Model;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Engine;

/// <summary>The engine's log lines. Each carries a "Phase" field (started / completed / failed…) as in seed 002.</summary>
internal static partial class JobLog
{
    public static IDisposable? BeginJobScope(this ILogger logger, JobRecord job) =>
        logger.BeginScope(new JobLogScope(job.Id, job.Name, job.Type, job.Queue, job.Attempt));

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Processing job {JobName} (attempt {Attempt}/{MaxAttempts}), phase {Phase}")]
    public static partial void Started(ILogger logger, string jobName, int attempt, int maxAttempts, string phase = "started");

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Job {JobName} completed with {StatusCode} {StatusLabel} in {DurationMs} ms, phase {Phase}")]
    public static partial void Completed(ILogger logger, string jobName, int statusCode, string statusLabel, double durationMs, string phase = "completed");

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Job {JobName} failed with {StatusCode} {StatusLabel} after {DurationMs} ms: {Error}; retrying at {RetryAt}, phase {Phase}")]
    public static partial void Retrying(ILogger logger, Exception? exception, string jobName, int statusCode, string statusLabel, double durationMs, string error, string retryAt, string phase = "failed");

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Job {JobName} failed with {StatusCode} {StatusLabel} after {DurationMs} ms: {Error}; moved to the dead-letter queue, phase {Phase}")]
    public static partial void DeadLettered(ILogger logger, Exception? exception, string jobName, int statusCode, string statusLabel, double durationMs, string error, string phase = "failed");

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Job {JobName} was released by shutdown after {DurationMs} ms and will run again, phase {Phase}")]
    public static partial void Released(ILogger logger, string jobName, double durationMs, string phase = "released");

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Job {JobName} stopped: it was cancelled, deleted or rescued elsewhere, phase {Phase}")]
    public static partial void LostLease(ILogger logger, string jobName, string phase = "cancelled");
}
