using System.Diagnostics;
using System.Text.Json;
using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Client;

public sealed class JobClient(
    IJobStore store,
    JobDefinitionRegistry definitions,
    IJobSignals signals,
    IJobEventPublisher events,
    RunningJobs running,
    TimeProvider time) : IJobClient
{
    public Task<long> EnqueueAsync<TArgs>(TArgs args, EnqueueOptions? options = null, CancellationToken ct = default) where TArgs : notnull =>
        EnqueueAsync(definitions.GetByArgs(typeof(TArgs)).Name, args, options, ct);

    public async Task<long> EnqueueAsync(string name, object? args, EnqueueOptions? options = null, CancellationToken ct = default) =>
        (await EnqueueManyAsync([new JobEnqueueRequest(name, args, options)], ct).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<JobEnqueueRequest> jobs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return [];
        }
        var now = time.GetUtcNow();
        var inserts = new JobInsertParams[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            inserts[i] = JobRequestValidator.ToInsert(jobs[i], definitions, now, Activity.Current?.Id);
        }
        var ids = await store.JobInsertManyAsync(new JobInsertManyParams(inserts, now), ct).ConfigureAwait(false);
        PublishCreated(inserts, ids, now);
        foreach (var queue in inserts.Where(j => j.RunAt <= now).Select(j => j.Queue).Distinct(StringComparer.Ordinal))
        {
            signals.NotifyJobsAvailable(queue);
        }
        return ids;
    }

    private void PublishCreated(JobInsertParams[] inserts, IReadOnlyList<long> ids, DateTimeOffset now)
    {
        for (var i = 0; i < inserts.Length; i++)
        {
            var j = inserts[i];
            events.Publish(new JobEvent
            {
                Kind = JobEventKind.Created,
                JobId = ids[i],
                Queue = j.Queue,
                Name = j.Name,
                Type = j.Type,
                At = now,
                State = j.RunAt <= now ? JobState.Waiting : JobState.Delayed,
                MaxAttempts = j.MaxAttempts,
                CreatedBy = j.CreatedBy,
            });
        }
    }

    public async Task<JobActionResult> RetryAsync(long jobId, string? by = null, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var result = await store.JobRetryAsync(new JobRetryParams(jobId, now, by), ct).ConfigureAwait(false);
        if (result is { Status: JobActionStatus.Done, Job: { } job })
        {
            events.Publish(JobEvent.From(job, JobEventKind.Retried, now));
            signals.NotifyJobsAvailable(job.Queue);
        }
        return result;
    }

    public async Task<IReadOnlyList<long>> RetryDeadLettersAsync(DeadLetterFilter? filter = null, string? by = null, CancellationToken ct = default)
    {
        filter ??= new DeadLetterFilter();
        if (filter.Limit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(filter), filter.Limit, "Limit must be at least 1.");
        }
        var now = time.GetUtcNow();
        var ids = await store.JobRetryManyAsync(new JobRetryManyParams
        {
            Queue = filter.Queue,
            Name = filter.Name,
            StatusCode = filter.StatusCode,
            FailedAfter = filter.FailedAfter,
            FailedBefore = filter.FailedBefore,
            Limit = filter.Limit,
            Now = now,
            By = by,
        }, ct).ConfigureAwait(false);
        if (ids.Count > 0)
        {
            // One wake-up per queue served here is enough; the jobs are read back only for their events.
            foreach (var id in ids)
            {
                if (await store.JobGetAsync(id, ct).ConfigureAwait(false) is { } job)
                {
                    events.Publish(JobEvent.From(job, JobEventKind.Retried, now));
                }
            }
            foreach (var queue in definitions.Queues)
            {
                signals.NotifyJobsAvailable(queue);
            }
        }
        return ids;
    }

    public async Task<JobActionResult> CancelAsync(long jobId, string? by = null, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var result = await store.JobCancelAsync(new JobCancelParams(jobId, now, by), ct).ConfigureAwait(false);
        if (result is { Status: JobActionStatus.Done, Job: { } job })
        {
            // Running here: stop it now rather than at the next lease renewal.
            if (running.TryGet(jobId, out var run) && !run.Job.IsExternal)
            {
                run.Stop(StopReason.LostLease);
            }
            events.Publish(JobEvent.From(job, JobEventKind.Cancelled, now));
        }
        return result;
    }

    public async Task<bool> DeleteAsync(long jobId, CancellationToken ct = default)
    {
        var job = await store.JobGetAsync(jobId, ct).ConfigureAwait(false);
        var deleted = await store.JobDeleteAsync(new JobDeleteParams(jobId), ct).ConfigureAwait(false);
        if (deleted && job is not null)
        {
            if (running.TryGet(jobId, out var run) && !run.Job.IsExternal)
            {
                run.Stop(StopReason.LostLease);
            }
            events.Publish(JobEvent.From(job, JobEventKind.Deleted, time.GetUtcNow()));
        }
        return deleted;
    }

    public Task PauseQueueAsync(string queue, CancellationToken ct = default) => SetPausedAsync(queue, true, ct);

    public async Task ResumeQueueAsync(string queue, CancellationToken ct = default)
    {
        await SetPausedAsync(queue, false, ct).ConfigureAwait(false);
        signals.NotifyJobsAvailable(queue);
    }

    private Task SetPausedAsync(string queue, bool paused, CancellationToken ct)
    {
        JobRequestValidator.ValidateQueueName(queue);
        return store.QueueSetPausedAsync(new QueueSetPausedParams(queue, paused, time.GetUtcNow()), ct);
    }
}
