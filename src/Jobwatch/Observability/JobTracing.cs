using System.Diagnostics;
using Jobwatch.Model;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;

namespace Jobwatch.Observability;

/// <summary>
/// One span per job execution on the <see cref="ActivitySource"/> "Jobwatch", a child of the trace that
/// enqueued the job (its W3C traceparent is stored with the job), so a request and the work it queued
/// show as one trace. Nothing is built unless a listener samples the source.
/// </summary>
public static class JobTracing
{
    public const string RunActivityName = "jobwatch.job.run";

    public static ActivitySource Source { get; } = new(JobwatchDiagnostics.ActivitySourceName, JobwatchDiagnostics.Version);

    /// <summary>Tag names on the job span.</summary>
    public static class Tags
    {
        public const string Queue = "jobwatch.queue";
        public const string JobName = "jobwatch.job.name";
        public const string JobId = "jobwatch.job.id";
        public const string Attempt = "jobwatch.job.attempt";
        public const string WorkerId = "jobwatch.worker.id";
        public const string StatusCode = "jobwatch.job.status_code";
        public const string StatusLabel = "jobwatch.job.status_label";
        /// <summary>completed, retrying, dead_lettered, released (shutdown) or lost_lease (cancelled, deleted or rescued meanwhile).</summary>
        public const string Outcome = "jobwatch.job.outcome";
        public const string ErrorType = "error.type";
        public const string MessagingSystem = "messaging.system";
        public const string MessagingOperation = "messaging.operation.type";
        public const string MessagingDestination = "messaging.destination.name";
    }

    /// <summary>Starts the span of one attempt: parented to the stored traceparent, or a new trace when there is none.</summary>
    internal static Activity? StartAttempt(JobRecord job)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        ActivityContext.TryParse(job.TraceParent, null, isRemote: true, out var parent);
        // Without a stored parent the span starts a trace of its own, rather than joining whatever
        // activity happened to be current when the worker loop started.
        Activity.Current = null;
        var activity = Source.StartActivity(RunActivityName, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = "run " + job.Name;
            activity.SetTag(Tags.MessagingSystem, "jobwatch");
            activity.SetTag(Tags.MessagingOperation, "process");
            activity.SetTag(Tags.MessagingDestination, job.Queue);
            activity.SetTag(Tags.Queue, job.Queue);
            activity.SetTag(Tags.JobName, job.Name);
            activity.SetTag(Tags.JobId, job.Id);
            activity.SetTag(Tags.Attempt, job.Attempt);
            activity.SetTag(Tags.WorkerId, job.WorkerId);
        }
        return activity;
    }

    /// <summary>Records how the attempt ended; failures set the span's status to Error.</summary>
    internal static void Finished(Activity? activity, JobFinish finish, string? error, Exception? exception)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }
        activity.SetTag(Tags.Outcome, finish.Kind switch
        {
            JobFinishKind.Complete => "completed",
            JobFinishKind.Retry => "retrying",
            JobFinishKind.DeadLetter => "dead_lettered",
            _ => "released",
        });
        if (finish.StatusCode is { } code)
        {
            activity.SetTag(Tags.StatusCode, code);
            activity.SetTag(Tags.StatusLabel, finish.StatusLabel);
        }
        if (finish.Kind is JobFinishKind.Retry or JobFinishKind.DeadLetter)
        {
            activity.SetTag(Tags.ErrorType, exception?.GetType().FullName ?? finish.StatusLabel ?? JobStatusCodes.InternalError.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error, error);
            if (exception is not null)
            {
                activity.AddException(exception);
            }
        }
    }

    /// <summary>The attempt's job was cancelled, deleted or rescued while it ran: its outcome is not recorded.</summary>
    internal static void LostLease(Activity? activity) => activity?.SetTag(Tags.Outcome, "lost_lease");
}
