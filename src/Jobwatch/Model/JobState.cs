namespace Jobwatch.Model;

/// <summary>
/// The states of a job. Stored as these integers by every backend, so the values never change.
/// See <see cref="JobStateMachine"/> for the allowed transitions.
/// </summary>
public enum JobState
{
    /// <summary>Ready to run: <c>run_at</c> has passed and no worker holds it.</summary>
    Waiting = 1,
    /// <summary>Scheduled for later (a delay, or a retry's backoff).</summary>
    Delayed = 2,
    /// <summary>Leased by a worker, or an external run kept alive by its reporter.</summary>
    Active = 3,
    /// <summary>Finished with a success (2xx) or skip (3xx) code.</summary>
    Completed = 4,
    /// <summary>Finished with an error and no attempts left: the dead-letter queue.</summary>
    Failed = 5,
    /// <summary>Cancelled by an operator before it finished.</summary>
    Cancelled = 6,
}

public static class JobStateNames
{
    /// <summary>The lower-case name used on every surface (API, logs, CLI).</summary>
    public static string ToName(this JobState state) => state switch
    {
        JobState.Waiting => "waiting",
        JobState.Delayed => "delayed",
        JobState.Active => "active",
        JobState.Completed => "completed",
        JobState.Failed => "failed",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown job state."),
    };

    public static bool TryParse(string? value, out JobState state)
    {
        foreach (var candidate in Enum.GetValues<JobState>())
        {
            if (string.Equals(candidate.ToName(), value, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }

    public static bool IsTerminal(this JobState state) =>
        state is JobState.Completed or JobState.Failed or JobState.Cancelled;
}
