using System.Globalization;
using Jobwatch.Model;
using Jobwatch.StatusCodes;

namespace Jobwatch.Runs;

/// <summary>What <see cref="IRunReporter.FindAsync"/> found for a run id.</summary>
public enum RunLookupStatus
{
    /// <summary>This process holds the live run: <see cref="RunLookup.Run"/> takes reports.</summary>
    Held,
    /// <summary>No job has this id: it never existed, or it was deleted.</summary>
    NotFound,
    /// <summary>The id belongs to a queued job, not to an external run; only runs take reports.</summary>
    NotARun,
    /// <summary>The run has ended (completed, failed, stalled or cancelled); reports are no longer recorded.</summary>
    Ended,
    /// <summary>
    /// The run is active and another owner holds it even after this process tried to adopt it: server processes kept
    /// taking it from each other while the lookup ran. Rare; the reporter may send its report again.
    /// (A run held by another process is otherwise adopted by <see cref="IRunReporter.FindAsync"/> and answered as <see cref="Held"/>.)
    /// </summary>
    HeldElsewhere,
}

/// <summary>
/// The answer to "can this process take reports for run <see cref="Id"/>?": the live run when it can, otherwise the
/// stored job (when there is one) and <see cref="Describe"/>, a sentence saying why not.
/// </summary>
public sealed record RunLookup(RunLookupStatus Status, long Id, JobRun? Run = null, JobRecord? Job = null)
{
    /// <summary>For an ended run: "completed", "failed", "stalled" or "cancelled"; otherwise null.</summary>
    public string? EndedAs => Status == RunLookupStatus.Ended && Job is { } job ? EndedName(job) : null;

    /// <summary>How a finished job ended: "completed", "failed", "stalled" (a run whose reporter went silent) or "cancelled"; null while it has not.</summary>
    public static string? EndedAsOf(JobRecord job) => job.State.IsTerminal() ? EndedName(job) : null;

    /// <summary>Why reports for this id cannot be taken here (empty when <see cref="Status"/> is <see cref="RunLookupStatus.Held"/>).</summary>
    public string Describe() => Status switch
    {
        RunLookupStatus.Held => "",
        RunLookupStatus.NotFound => $"There is no run {Id}: no job has this id (it never existed, or it was deleted).",
        RunLookupStatus.NotARun => $"Job {Id} (queue '{Job!.Queue}', name '{Job.Name}') is a queued job, not an external run: only runs started through the run reporter take reports.",
        RunLookupStatus.Ended => DescribeEnded(Job!),
        RunLookupStatus.HeldElsewhere =>
            $"Run {Id} is active, but other server processes kept taking it over while this report was handled (last held by '{Job!.WorkerId}'). " +
            "Send the report again; if this keeps happening, route a run's reports to one node (sticky sessions).",
        _ => throw new ArgumentOutOfRangeException(nameof(Status), Status, "Unknown lookup status."),
    };

    private static string EndedName(JobRecord job) => job.State switch
    {
        JobState.Failed when job.StatusCode == JobStatusCodes.Stalled && job.StalledCount > 0 => "stalled",
        _ => job.State.ToName(),
    };

    private static string DescribeEnded(JobRecord job)
    {
        var code = job.StatusCode is { } c ? $" with {c} {job.StatusLabel}" : "";
        var how = EndedName(job) switch
        {
            "completed" => $"it completed{At(job.FinishedAt, " at ")}{code}",
            "stalled" => $"it was marked stalled{At(job.FinishedAt, " at ")} because no report arrived within its heartbeat timeout",
            "cancelled" => $"it was cancelled{At(job.FinishedAt, " at ")} (its timeline and the audit trail say by whom)",
            _ => $"it failed{At(job.FinishedAt, " at ")}{code}{(job.LastError is { } e ? ": " + e : "")}",
        };
        return $"Run {job.Id} is not active ({EndedName(job)}): {how}. Reports after a run ends are not recorded; start a new run to report more work.";
    }

    private static string At(DateTimeOffset? at, string prefix) =>
        at is { } t ? prefix + t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
}
