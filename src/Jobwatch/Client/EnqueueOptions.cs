namespace Jobwatch.Client;

/// <summary>Per-job settings at enqueue; anything left null takes the handler's registered default.</summary>
public sealed record EnqueueOptions
{
    public string? Queue { get; init; }
    /// <summary>Run after this delay (exclusive with <see cref="RunAt"/>).</summary>
    public TimeSpan? Delay { get; init; }
    public DateTimeOffset? RunAt { get; init; }
    /// <summary>Higher runs first.</summary>
    public int? Priority { get; init; }
    public int? MaxAttempts { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>Who enqueued it (seed 000's createdBy), e.g. "OSINT-GUILD-ROSTER".</summary>
    public string? CreatedBy { get; init; }
    /// <summary>Any JSON-serialisable object (or a JSON string) kept with the job, e.g. <c>new { priority = "high" }</c>.</summary>
    public object? Metadata { get; init; }
}

/// <summary>One job of a batch enqueue: a registered name, its args and options.</summary>
public sealed record JobEnqueueRequest(string Name, object? Args, EnqueueOptions? Options = null);

/// <summary>Filters for retrying the dead-letter queue in bulk; all optional.</summary>
public sealed record DeadLetterFilter
{
    public string? Queue { get; init; }
    public string? Name { get; init; }
    public int? StatusCode { get; init; }
    public DateTimeOffset? FailedAfter { get; init; }
    public DateTimeOffset? FailedBefore { get; init; }
    public int Limit { get; init; } = 10_000;
}
