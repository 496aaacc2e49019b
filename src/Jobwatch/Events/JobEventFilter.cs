namespace Jobwatch.Events;

/// <summary>Which events a subscriber wants. Empty sets mean "all".</summary>
public sealed record JobEventFilter
{
    public static JobEventFilter All { get; } = new();

    public IReadOnlySet<long> JobIds { get; init; } = new HashSet<long>();
    public IReadOnlySet<string> Queues { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    /// <summary>Leave out progress events (lifecycle only).</summary>
    public bool ExcludeProgress { get; init; }

    public bool Matches(JobEvent e)
    {
        if (ExcludeProgress && e.Kind == JobEventKind.Progress)
        {
            return false;
        }
        if (JobIds.Count == 0 && Queues.Count == 0)
        {
            return true;
        }
        return JobIds.Contains(e.JobId) || Queues.Contains(e.Queue);
    }
}
