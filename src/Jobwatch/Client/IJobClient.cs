using Jobwatch.Storage;

namespace Jobwatch.Client;

/// <summary>Enqueues jobs and acts on them. Every action goes through storage guards, so it is safe from any process.</summary>
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

    Task<bool> DeleteAsync(long jobId, CancellationToken ct = default);

    Task PauseQueueAsync(string queue, CancellationToken ct = default);
    Task ResumeQueueAsync(string queue, CancellationToken ct = default);
}
