namespace Jobwatch.Health;

/// <summary>Ordered from best to worst, so the worst of several is their maximum.</summary>
public enum QueueHealthStatus
{
    Healthy = 0,
    Degraded = 1,
    Unhealthy = 2,
}

/// <summary>What a <see cref="HealthIssue"/> is about; alert rules and metrics branch on this, not on the message.</summary>
public enum QueueHealthCheck
{
    /// <summary>Jobs in the queue's dead-letter queue (state failed).</summary>
    FailedJobs,
    /// <summary>Failed share of the queue's finished jobs.</summary>
    ErrorRate,
    /// <summary>Jobs due and waiting for a worker.</summary>
    Backlog,
    /// <summary>How long the oldest due job has waited.</summary>
    WaitingTime,
    /// <summary>Active jobs whose lease expired: the process running them stopped renewing it.</summary>
    StaleJobs,
    Paused,
    /// <summary>The store did not answer.</summary>
    Storage,
}

/// <summary>One threshold crossed. <see cref="Limit"/> is the threshold that <see cref="Value"/> reached or exceeded.</summary>
public sealed record HealthIssue(QueueHealthCheck Check, QueueHealthStatus Severity, string? Queue, string Message, double Value, double? Limit);

public static class QueueHealthStatusNames
{
    /// <summary>The lower-case name every surface uses (seed 003: healthy, degraded, unhealthy).</summary>
    public static string ToName(this QueueHealthStatus status) => status switch
    {
        QueueHealthStatus.Healthy => "healthy",
        QueueHealthStatus.Degraded => "degraded",
        QueueHealthStatus.Unhealthy => "unhealthy",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown health status."),
    };

    public static bool TryParse(string? value, out QueueHealthStatus status)
    {
        foreach (var candidate in Enum.GetValues<QueueHealthStatus>())
        {
            if (string.Equals(candidate.ToName(), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static QueueHealthStatus Worst(QueueHealthStatus a, QueueHealthStatus b) => a >= b ? a : b;
}
