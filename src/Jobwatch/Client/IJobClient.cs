using Jobwatch.Storage;

namespace Jobwatch.Client;

/// <summary>
/// Enqueues jobs and acts on them. Every action goes through storage guards, so it is safe from any process.
/// Retry, bulk retry, cancel, delete, pause and resume are recorded in the audit trail (<see cref="Audit.IAuditTrail"/>)
/// with <c>by</c> as the actor ("app" when null) and their outcome; enqueues are not (hosts record the ones operators make).
/// </summary>
public interface IJobClient
{
    /// <summary>Enqueues a job for the single name registered for <typeparamref name="TArgs"/>.</summary>
    Task<long> EnqueueAsync<TArgs>(TArgs args, EnqueueOptions? options = null, CancellationToken ct = default) where TArgs : notnull;

    /// <summary>Enqueues a job by its registered name; args may be an object or a JSON string.</summary>
    Task<long> EnqueueAsync(string name, object? args, EnqueueOptions? options = null, CancellationToken ct = default);

    /// <summary>Enqueues many jobs in one transaction; returns ids in order. All or nothing.</summary>
    Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<JobEnqueueRequest> jobs, CancellationToken ct = default);

    /// <summary>Sends a failed or cancelled job back to waiting with a fresh set of attempts.</summary>
    Task<JobActionResult> RetryAsync(long jobId, string? by = null, CancellationToken ct = default);

    /// <summary>Retries every job in the dead-letter queue that matches; returns their ids.</summary>
    Task<IReadOnlyList<long>> RetryDeadLettersAsync(DeadLetterFilter? filter = null, string? by = null, CancellationToken ct = default);

    /// <summary>Cancels a waiting, delayed or running job (a running handler is stopped at its next lease renewal).</summary>
    Task<JobActionResult> CancelAsync(long jobId, string? by = null, CancellationToken ct = default);

    /// <summary>Deletes a job and its timeline (a running handler is stopped). False when it did not exist.</summary>
    Task<bool> DeleteAsync(long jobId, string? by = null, CancellationToken ct = default);

    /// <summary>Stops workers on every node from taking jobs of the queue; running jobs finish.</summary>
    Task PauseQueueAsync(string queue, string? by = null, CancellationToken ct = default);

    /// <summary>Lets workers take jobs of the queue again.</summary>
    Task ResumeQueueAsync(string queue, string? by = null, CancellationToken ct = default);
}
