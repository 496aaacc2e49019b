namespace Jobwatch.Handlers;

/// <summary>
/// Runs one kind of job. Resolved from a DI scope per attempt, so handlers may take scoped services.
/// Return a <see cref="JobResult"/> with a status code; throw (or return an error code) to fail the attempt.
/// </summary>
public interface IJobHandler<in TArgs>
{
    Task<JobResult> HandleAsync(TArgs args, JobContext context, CancellationToken cancellationToken);
}
