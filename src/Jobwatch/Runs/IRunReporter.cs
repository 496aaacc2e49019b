namespace Jobwatch.Runs;

/// <summary>Reports runs that Jobwatch does not execute. Each run is tracked exactly like a queued job.</summary>
public interface IRunReporter
{
    Task<JobRun> StartAsync(RunOptions options, CancellationToken ct = default);
}
