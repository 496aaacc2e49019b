namespace Jobwatch.Model;

/// <summary>The events that move a job between states.</summary>
public enum JobTransition
{
    EnqueueNow,
    EnqueueLater,
    RunAtReached,
    Fetch,
    ExternalStart,
    Succeed,
    FailWithAttemptsLeft,
    FailFinally,
    LeaseExpired,
    LeaseExpiredTooOften,
    Cancel,
    Retry,
    Release,
}

/// <summary>
/// The one place that owns the job state table from DESIGN.md. Stores implement the same table in
/// SQL (each guarded query names the states it accepts); the conformance suite checks them against this.
/// </summary>
public static class JobStateMachine
{
    private static readonly Dictionary<(JobState? From, JobTransition Event), JobState> Table = new()
    {
        [(null, JobTransition.EnqueueNow)] = JobState.Waiting,
        [(null, JobTransition.EnqueueLater)] = JobState.Delayed,
        [(null, JobTransition.ExternalStart)] = JobState.Active,
        [(JobState.Delayed, JobTransition.RunAtReached)] = JobState.Waiting,
        [(JobState.Waiting, JobTransition.Fetch)] = JobState.Active,
        // A due delayed job may be fetched directly: the fetch query treats run_at <= now as waiting.
        [(JobState.Delayed, JobTransition.Fetch)] = JobState.Active,
        [(JobState.Active, JobTransition.Succeed)] = JobState.Completed,
        [(JobState.Active, JobTransition.FailWithAttemptsLeft)] = JobState.Delayed,
        [(JobState.Active, JobTransition.FailFinally)] = JobState.Failed,
        [(JobState.Active, JobTransition.LeaseExpired)] = JobState.Waiting,
        [(JobState.Active, JobTransition.LeaseExpiredTooOften)] = JobState.Failed,
        // Graceful shutdown hands a running job back without spending its attempt.
        [(JobState.Active, JobTransition.Release)] = JobState.Waiting,
        [(JobState.Waiting, JobTransition.Cancel)] = JobState.Cancelled,
        [(JobState.Delayed, JobTransition.Cancel)] = JobState.Cancelled,
        [(JobState.Active, JobTransition.Cancel)] = JobState.Cancelled,
        [(JobState.Failed, JobTransition.Retry)] = JobState.Waiting,
        [(JobState.Cancelled, JobTransition.Retry)] = JobState.Waiting,
    };

    /// <summary>The state a job in <paramref name="from"/> (null: not yet stored) moves to on <paramref name="transition"/>, or null if not allowed.</summary>
    public static JobState? Next(JobState? from, JobTransition transition) =>
        Table.TryGetValue((from, transition), out var to) ? to : null;

    public static bool IsAllowed(JobState? from, JobTransition transition) => Next(from, transition) is not null;

    /// <summary>States from which <paramref name="transition"/> is allowed.</summary>
    public static IReadOnlyList<JobState> SourcesOf(JobTransition transition) =>
        Table.Keys.Where(k => k.Event == transition && k.From is not null).Select(k => k.From!.Value).Distinct().ToArray();

    public static IEnumerable<(JobState? From, JobTransition Event, JobState To)> All() =>
        Table.Select(kv => (kv.Key.From, kv.Key.Event, kv.Value));
}
