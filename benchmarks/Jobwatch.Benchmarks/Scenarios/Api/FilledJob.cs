using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// One job of the fill: what is enqueued (<see cref="Insert"/>) and the row the engine would have left
/// behind once the job reached <see cref="State"/>, with the timeline that got it there.
/// </summary>
public sealed class FilledJob
{
    public required JobInsertParams Insert { get; init; }
    public required JobState State { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset RunAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }
    /// <summary>The worker holding the job (active), or that held it when it was cancelled; null otherwise, as the finish SQL leaves it.</summary>
    public string? WorkerId { get; init; }
    /// <summary>The worker that ran the last attempt, for its timeline rows.</summary>
    public string? RanOn { get; init; }
    public int Attempt { get; init; }
    public int StalledCount { get; init; }
    public int? StatusCode { get; init; }
    public string? StatusLabel { get; init; }
    public string? UpdatedBy { get; init; }
    public long? TotalItems { get; init; }
    public long ItemsSucceeded { get; init; }
    public long ItemsFailed { get; init; }
    public DateTimeOffset? ProgressAt { get; init; }
    public string? LastError { get; init; }
    public string? LastErrorStack { get; init; }
    public string? Result { get; init; }
    /// <summary>Who cancelled it ("by …"), as the cancel's timeline message says.</summary>
    public string? CancelledBy { get; init; }
    /// <summary>Start times of the attempts before the last, each followed by a retrying entry (or a stalled one).</summary>
    public IReadOnlyList<DateTimeOffset> EarlierStarts { get; init; } = [];

    /// <summary>The timeline after the created entry (which the store's insert writes), oldest first, as the engine appends it.</summary>
    public IEnumerable<JobTimelineEntry> TimelineAfterCreated(long id)
    {
        var attempt = 0;
        // A job that succeeded after a retry failed the way most retried jobs do.
        var (retryCode, retryError) = State == JobState.Completed
            ? (Jobwatch.StatusCodes.JobStatusCodes.InternalError, "System.Net.Http.HttpRequestException: Response status code does not indicate success: 502 (Bad Gateway).")
            : (StatusCode, LastError);
        foreach (var start in EarlierStarts)
        {
            attempt++;
            yield return new JobTimelineEntry(id, start, JobTimelineKinds.Started, JobState.Active, attempt, WorkerId: RanOn);
            var stalled = StatusCode == Jobwatch.StatusCodes.JobStatusCodes.Stalled;
            yield return stalled
                ? new JobTimelineEntry(id, start.AddSeconds(30), JobTimelineKinds.Stalled, JobState.Waiting, attempt, StatusCode, null, LastError)
                : new JobTimelineEntry(id, start.AddSeconds(1), JobTimelineKinds.Retrying, JobState.Delayed, attempt, retryCode, RanOn, retryError);
        }
        if (StartedAt is { } started && State != JobState.Delayed)
        {
            yield return new JobTimelineEntry(id, started, JobTimelineKinds.Started, JobState.Active, Attempt, WorkerId: RanOn);
        }
        switch (State)
        {
            case JobState.Completed:
                yield return new JobTimelineEntry(id, FinishedAt!.Value, JobTimelineKinds.Completed, JobState.Completed, Attempt, StatusCode, RanOn);
                break;
            case JobState.Failed when StatusCode == Jobwatch.StatusCodes.JobStatusCodes.Stalled:
                yield return new JobTimelineEntry(id, FinishedAt!.Value, JobTimelineKinds.Stalled, JobState.Failed, Attempt, StatusCode, null, LastError);
                yield return new JobTimelineEntry(id, FinishedAt!.Value, JobTimelineKinds.DeadLettered, JobState.Failed, Attempt, StatusCode, null, LastError);
                break;
            case JobState.Failed:
                yield return new JobTimelineEntry(id, FinishedAt!.Value, JobTimelineKinds.DeadLettered, JobState.Failed, Attempt, StatusCode, RanOn, LastError);
                break;
            case JobState.Cancelled:
                yield return new JobTimelineEntry(id, FinishedAt!.Value, JobTimelineKinds.Cancelled, JobState.Cancelled, Attempt, null, WorkerId, CancelledBy);
                break;
        }
    }
}
