namespace Jobwatch.Runs;

/// <summary>Reports runs that Jobwatch does not execute. Each run is tracked exactly like a queued job.</summary>
public interface IRunReporter
{
    /// <summary>Starts a run: it is active at once, owned by this process, and kept alive by its reports.</summary>
    Task<JobRun> StartAsync(RunOptions options, CancellationToken ct = default);

    /// <summary>
    /// Finds the live run with this id that this process holds, for callers that only have the id (an HTTP report).
    /// Otherwise says why not: no such job, a queued job rather than a run, a run that has ended (completed, failed,
    /// stalled, cancelled), or an active run held by another process (another node, or before a restart).
    /// Always reads storage, so a held run that was cancelled or stalled meanwhile is reported as ended (and let go).
    /// </summary>
    Task<RunLookup> FindAsync(long id, CancellationToken ct = default);
}
