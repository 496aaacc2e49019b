namespace Jobwatch.Runs;

/// <summary>Starting an external run (seed 001's JobMonitor.StartJob): work another process does and Jobwatch only tracks.</summary>
public sealed record RunOptions
{
    public required string Name { get; init; }
    /// <summary>Defaults to the name.</summary>
    public string? Type { get; init; }
    /// <summary>Queue it is listed under; defaults to "external".</summary>
    public string Queue { get; init; } = "external";
    public long? TotalItems { get; init; }
    public object? Metadata { get; init; }
    public string? CreatedBy { get; init; }
    /// <summary>Marked stalled after this long without a report; defaults to JobwatchOptions.RunHeartbeatTimeout.</summary>
    public TimeSpan? HeartbeatTimeout { get; init; }
}
