namespace Jobwatch.Runs;

/// <summary>Reports runs that Jobwatch does not execute. Each run is tracked exactly like a queued job.</summary>
public interface IRunReporter
{
    /// <summary>Starts a run: it is active at once, owned by this process, and kept alive by its reports.</summary>
    Task<JobRun> StartAsync(RunOptions options, CancellationToken ct = default);

    /// <summary>
    /// Finds the live run with this id, for callers that only have the id (an HTTP report). An active run held by another
    /// process (another node on the same store, or this server before a restart) is adopted: it becomes this process's,
    /// seeded with its stored progress, and the old holder is fenced out. Otherwise says why not: no such job, a queued
    /// job rather than a run, or a run that has ended (completed, failed, stalled, cancelled).
    /// Always reads storage, so a held run that was cancelled or stalled meanwhile is reported as ended (and let go).
    /// </summary>
    Task<RunLookup> FindAsync(long id, CancellationToken ct = default);
}
