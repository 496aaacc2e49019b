using Jobwatch.Contracts.Monitoring;

namespace Jobwatch.Cli.Watch;

/// <summary>What watch knows: the jobs from the last good refresh and, while the server cannot be reached, since when and why.</summary>
public sealed class WatchState
{
    public IReadOnlyList<MonitoringJob>? Jobs { get; private set; }
    public DateTimeOffset? LastSuccess { get; private set; }
    public DateTimeOffset? UnreachableSince { get; private set; }
    public string? UnreachableReason { get; private set; }
    public int FailedAttempts { get; private set; }

    public bool Unreachable => UnreachableSince is not null;

    public void Succeeded(IReadOnlyList<MonitoringJob> jobs, DateTimeOffset at)
    {
        Jobs = jobs;
        LastSuccess = at;
        UnreachableSince = null;
        UnreachableReason = null;
        FailedAttempts = 0;
    }

    public void Failed(string reason, DateTimeOffset at)
    {
        UnreachableSince ??= at;
        UnreachableReason = reason;
        FailedAttempts++;
    }
}
