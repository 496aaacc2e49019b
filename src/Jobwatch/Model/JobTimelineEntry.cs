namespace Jobwatch.Model;

/// <summary>One thing that happened to a job, in order. Kinds are the names in <see cref="JobTimelineKinds"/>.</summary>
public sealed record JobTimelineEntry(
    long JobId,
    DateTimeOffset At,
    string Kind,
    JobState State,
    int Attempt,
    int? StatusCode = null,
    string? WorkerId = null,
    string? Message = null);

public static class JobTimelineKinds
{
    public const string Created = "created";
    public const string Started = "started";
    public const string Completed = "completed";
    public const string Retrying = "retrying";
    public const string DeadLettered = "dead_lettered";
    public const string Stalled = "stalled";
    public const string Cancelled = "cancelled";
    public const string Retried = "retried";
    public const string Released = "released";
    /// <summary>An active external run was taken over by another server process (another node, or the same one after a restart); its worker is the new owner.</summary>
    public const string Adopted = "adopted";
}
