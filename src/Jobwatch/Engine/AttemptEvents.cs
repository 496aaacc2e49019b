using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Progress;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;

namespace Jobwatch.Engine;

/// <summary>
/// What a finished attempt's events are made of. They are built only after the outcome is committed
/// and only when someone listens: building them (two copies of the job, two or three events) cost more
/// than the rest of a no-op job's bookkeeping, for nothing when no one subscribes.
/// </summary>
internal sealed class AttemptEvents(JobRecord job, JobFinish finish, StatusCodeDefinition code, JobProgressUpdate progress, DateTimeOffset startedAt, double durationMs)
{
    public IReadOnlyList<JobEvent> Build()
    {
        var now = finish.At;
        var info = ProgressTracker.InfoOf(progress, startedAt, now);
        var after = job with
        {
            StatusCode = code.Code,
            StatusLabel = code.Label,
            UpdatedBy = progress.UpdatedBy,
            TotalItems = progress.TotalItems,
            ItemsSucceeded = progress.ItemsSucceeded,
            ItemsFailed = progress.ItemsFailed,
            ReportedPercent = progress.ReportedPercent,
            CustomProgress = progress.CustomProgress,
        };
        switch (finish.Kind)
        {
            case JobFinishKind.Complete:
                var done = after with { State = JobState.Completed, FinishedAt = now, Result = finish.Result };
                return [Event(done, JobEventKind.Completed, now, info)];
            case JobFinishKind.Retry:
                var retryAt = finish.RetryAt!.Value;
                var retrying = after with { State = JobState.Delayed, RunAt = retryAt, LastError = finish.Error, LastErrorStack = finish.ErrorStack };
                return [Event(retrying, JobEventKind.Failed, now, info) with { WillRetry = true, RetryAt = retryAt },
                        Event(retrying, JobEventKind.Retrying, now, info) with { WillRetry = true, RetryAt = retryAt }];
            case JobFinishKind.DeadLetter:
                var failed = after with { State = JobState.Failed, FinishedAt = now, LastError = finish.Error, LastErrorStack = finish.ErrorStack };
                return [Event(failed, JobEventKind.Failed, now, info), Event(failed, JobEventKind.DeadLettered, now, info)];
            default:
                return [];
        }
    }

    private JobEvent Event(JobRecord record, JobEventKind kind, DateTimeOffset at, JobProgressInfo info) =>
        JobEvent.From(record, kind, at) with { Progress = info, DurationMs = durationMs };
}
