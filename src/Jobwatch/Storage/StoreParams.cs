using Jobwatch.Model;

namespace Jobwatch.Storage;

public sealed record JobInsertParams
{
    public required string Queue { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required string Payload { get; init; }
    public string? Metadata { get; init; }
    public int Priority { get; init; }
    public int MaxAttempts { get; init; } = 1;
    public required DateTimeOffset RunAt { get; init; }
    public string? CreatedBy { get; init; }
    public long? TimeoutMs { get; init; }
    public string? TraceParent { get; init; }
}

public sealed record JobInsertManyParams(IReadOnlyList<JobInsertParams> Jobs, DateTimeOffset Now);

public sealed record RunStartParams
{
    public required string Queue { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public long? TotalItems { get; init; }
    public string? Metadata { get; init; }
    public string? CreatedBy { get; init; }
    public required string OwnerId { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required DateTimeOffset LeaseUntil { get; init; }
    public string? TraceParent { get; init; }
}

public sealed record JobFetchParams(string Queue, int Max, string WorkerId, DateTimeOffset Now, DateTimeOffset LeaseUntil);

public sealed record JobLeaseRenewParams(string WorkerId, IReadOnlyList<long> JobIds, DateTimeOffset LeaseUntil);

/// <summary>The latest progress of one active job (absolute values, so a repeated write is harmless).</summary>
public sealed record JobProgressUpdate
{
    public required long JobId { get; init; }
    public required string WorkerId { get; init; }
    public required int Attempt { get; init; }
    public long? TotalItems { get; init; }
    public long ItemsSucceeded { get; init; }
    public long ItemsFailed { get; init; }
    public double? ReportedPercent { get; init; }
    public string? CustomProgress { get; init; }
    public string? UpdatedBy { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>Set for external runs: a report is also a heartbeat, extending the lease to here.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}

public sealed record JobProgressSaveManyParams(IReadOnlyList<JobProgressUpdate> Updates);

public sealed record JobFinishManyParams(IReadOnlyList<JobFinish> Finishes, DateTimeOffset Now);

/// <param name="StalledCode">The status code (and label) given to jobs that fail because they stalled.</param>
public sealed record JobRescueParams(DateTimeOffset Now, int MaxStalledCount, int StalledCode, string StalledLabel, int Limit = 1000);

public enum RescueOutcome
{
    /// <summary>Back to waiting: another worker takes it.</summary>
    Requeued,
    /// <summary>Stalled too often or no attempts left: now failed, in the dead-letter queue.</summary>
    DeadLettered,
    /// <summary>An external run whose reporter went silent: now failed with the stalled code.</summary>
    RunStalled,
}

public sealed record RescuedJob(JobRecord Job, RescueOutcome Outcome);

public sealed record JobPromoteParams(DateTimeOffset Now, int Limit = 10_000);

public sealed record JobRetryParams(long Id, DateTimeOffset Now, string? By = null);

public sealed record JobRetryManyParams
{
    public string? Queue { get; init; }
    public string? Name { get; init; }
    public int? StatusCode { get; init; }
    public DateTimeOffset? FailedAfter { get; init; }
    public DateTimeOffset? FailedBefore { get; init; }
    public int Limit { get; init; } = 10_000;
    public required DateTimeOffset Now { get; init; }
    public string? By { get; init; }
}

public sealed record JobCancelParams(long Id, DateTimeOffset Now, string? By = null);

public sealed record JobDeleteParams(long Id);

public sealed record QueueSetPausedParams(string Queue, bool Paused, DateTimeOffset Now);

public sealed record LeaderElectParams(string Name, string NodeId, DateTimeOffset Now, TimeSpan Ttl);

public sealed record LeaderResignParams(string Name, string NodeId);

public enum JobActionStatus { Done, NotFound, NotAllowed }

/// <summary>The outcome of an operator action: the job after it, or why it was not done.</summary>
public sealed record JobActionResult(JobActionStatus Status, JobRecord? Job)
{
    public static JobActionResult NotFound { get; } = new(JobActionStatus.NotFound, null);
    public static JobActionResult Done(JobRecord job) => new(JobActionStatus.Done, job);
    public static JobActionResult NotAllowed(JobRecord job) => new(JobActionStatus.NotAllowed, job);
}

public enum JobListOrder
{
    /// <summary>By id, newest first. Cursor: the last id seen.</summary>
    Newest,
    /// <summary>By finished_at then id, most recently finished first; unfinished jobs are excluded. Cursor: (finished_at, id).</summary>
    RecentlyFinished,
}

/// <summary>A keyset position: list items strictly after it in the chosen order.</summary>
public sealed record JobListCursor(long Id, DateTimeOffset? FinishedAt = null);

public sealed record JobListParams
{
    public string? Queue { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<JobState>? States { get; init; }
    public int? StatusCode { get; init; }
    /// <summary>Matches created_by or updated_by.</summary>
    public string? Source { get; init; }
    /// <summary>created_at at or after.</summary>
    public DateTimeOffset? From { get; init; }
    /// <summary>created_at before.</summary>
    public DateTimeOffset? To { get; init; }
    /// <summary>finished_at at or after (so only finished jobs).</summary>
    public DateTimeOffset? FinishedFrom { get; init; }
    /// <summary>finished_at before (so only finished jobs).</summary>
    public DateTimeOffset? FinishedTo { get; init; }
    /// <summary>Case-insensitive substring over payload, metadata and last error.</summary>
    public string? Text { get; init; }
    public bool? External { get; init; }
    public JobListOrder Order { get; init; } = JobListOrder.Newest;
    public JobListCursor? After { get; init; }
    public int Limit { get; init; } = 20;
}

public sealed record QueueCountsParams(DateTimeOffset Now);

public sealed record QueueCounts
{
    public required string Queue { get; init; }
    public long Waiting { get; init; }
    public long Active { get; init; }
    public long Delayed { get; init; }
    public long Completed { get; init; }
    public long Failed { get; init; }
    public long Cancelled { get; init; }
    public bool Paused { get; init; }
    /// <summary>run_at of the oldest job that is due and waiting (null when none).</summary>
    public DateTimeOffset? OldestWaitingSince { get; init; }
    public DateTimeOffset? LastFinishedAt { get; init; }
}

public sealed record DeadLetterCountsParams(DateTimeOffset Now, DateTimeOffset RecentSince);

public sealed record DeadLetterCounts
{
    public long Total { get; init; }
    /// <summary>Failed jobs whose finished_at ≥ RecentSince.</summary>
    public long Recent { get; init; }
    public IReadOnlyDictionary<string, long> ByQueue { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, long> ByName { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<int, long> ByStatusCode { get; init; } = new Dictionary<int, long>();
    public DateTimeOffset? OldestFailedAt { get; init; }
    public DateTimeOffset? NewestFailedAt { get; init; }
}
