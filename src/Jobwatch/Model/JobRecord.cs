namespace Jobwatch.Model;

/// <summary>
/// One job as stored: a queued job or an externally reported run. Times are UTC.
/// JSON fields (<see cref="Payload"/>, <see cref="Metadata"/>, <see cref="CustomProgress"/>,
/// <see cref="Result"/>) are kept as raw JSON text.
/// </summary>
public sealed record JobRecord
{
    public required long Id { get; init; }
    public required string Queue { get; init; }
    /// <summary>The stable job name a handler is registered under (e.g. <c>high_priority_tick_sync</c>).</summary>
    public required string Name { get; init; }
    /// <summary>A category shared by several names (e.g. <c>tick_sync</c>); defaults to the name.</summary>
    public required string Type { get; init; }
    public required JobState State { get; init; }
    public int? StatusCode { get; init; }
    public string? StatusLabel { get; init; }
    public string? CreatedBy { get; init; }
    public string? UpdatedBy { get; init; }
    public required string Payload { get; init; }
    public string? Metadata { get; init; }
    /// <summary>Higher runs first; default 0.</summary>
    public int Priority { get; init; }
    /// <summary>Executions started so far in this round (reset to 0 by a manual retry).</summary>
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    /// <summary>How many times a lease expired under this job (its worker died or its reporter went silent).</summary>
    public int StalledCount { get; init; }
    public required DateTimeOffset RunAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }
    public string? WorkerId { get; init; }
    /// <summary>A run that another process executes and only reports on.</summary>
    public bool IsExternal { get; init; }
    public long? TotalItems { get; init; }
    public long ItemsSucceeded { get; init; }
    public long ItemsFailed { get; init; }
    public long ItemsProcessed => ItemsSucceeded + ItemsFailed;
    /// <summary>A percentage the handler reported itself (0–100), when it does not count items.</summary>
    public double? ReportedPercent { get; init; }
    public string? CustomProgress { get; init; }
    public DateTimeOffset? ProgressAt { get; init; }
    public string? LastError { get; init; }
    public string? LastErrorStack { get; init; }
    public string? Result { get; init; }
    /// <summary>Per-job timeout in milliseconds; null uses the handler's default.</summary>
    public long? TimeoutMs { get; init; }
    /// <summary>W3C traceparent of the code that enqueued the job.</summary>
    public string? TraceParent { get; init; }
}
