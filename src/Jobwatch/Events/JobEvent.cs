using Jobwatch.Model;

namespace Jobwatch.Events;

public enum JobEventKind
{
    Created,
    Started,
    Progress,
    Completed,
    /// <summary>An attempt failed; <see cref="JobEvent.WillRetry"/> says whether a retrying or dead-lettered event follows.</summary>
    Failed,
    Retrying,
    DeadLettered,
    Stalled,
    Cancelled,
    /// <summary>A failed or cancelled job was sent back to waiting by an operator.</summary>
    Retried,
    Deleted,
}

/// <summary>Counters and derived rates of a job at the moment of an event.</summary>
public sealed record JobProgressInfo(
    long? TotalItems,
    long ItemsSucceeded,
    long ItemsFailed,
    double? Percent,
    double? ItemsPerSecond,
    double? EtaSeconds,
    string? CustomProgress)
{
    public long ItemsProcessed => ItemsSucceeded + ItemsFailed;
}

/// <summary>Something that happened to a job, as pushed to live subscribers. Small and self-contained.</summary>
public sealed record JobEvent
{
    public required JobEventKind Kind { get; init; }
    public required long JobId { get; init; }
    public required string Queue { get; init; }
    public required string Name { get; init; }
    public string? Type { get; init; }
    public required DateTimeOffset At { get; init; }
    public JobState State { get; init; }
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public int? StatusCode { get; init; }
    public string? StatusLabel { get; init; }
    public string? CreatedBy { get; init; }
    public string? UpdatedBy { get; init; }
    public string? WorkerId { get; init; }
    public JobProgressInfo? Progress { get; init; }
    public string? Error { get; init; }
    public bool WillRetry { get; init; }
    public DateTimeOffset? RetryAt { get; init; }
    /// <summary>How long the attempt ran (completed / failed events).</summary>
    public double? DurationMs { get; init; }
    public bool IsExternal { get; init; }

    public bool IsTerminal => Kind is JobEventKind.Completed or JobEventKind.DeadLettered or JobEventKind.Cancelled or JobEventKind.Deleted
        || (Kind == JobEventKind.Stalled && State.IsTerminal());

    public static JobEvent From(JobRecord job, JobEventKind kind, DateTimeOffset at) => new()
    {
        Kind = kind,
        JobId = job.Id,
        Queue = job.Queue,
        Name = job.Name,
        Type = job.Type,
        At = at,
        State = job.State,
        Attempt = job.Attempt,
        MaxAttempts = job.MaxAttempts,
        StatusCode = job.StatusCode,
        StatusLabel = job.StatusLabel,
        CreatedBy = job.CreatedBy,
        UpdatedBy = job.UpdatedBy,
        WorkerId = job.WorkerId,
        IsExternal = job.IsExternal,
        Error = job.LastError,
        Progress = new JobProgressInfo(job.TotalItems, job.ItemsSucceeded, job.ItemsFailed,
            Jobwatch.Progress.ProgressMath.Percent(job.TotalItems, job.ItemsProcessed, job.ReportedPercent), null, null, job.CustomProgress),
    };
}
