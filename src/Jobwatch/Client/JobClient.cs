using System.Diagnostics;
using Jobwatch.Audit;
using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Observability;
using Jobwatch.Storage;

namespace Jobwatch.Client;

public sealed class JobClient(
    IJobStore store,
    JobDefinitionRegistry definitions,
    IJobSignals signals,
    DueJobAlarm alarm,
    IJobEventPublisher events,
    RunningJobs running,
    IAuditTrail audit,
    JobwatchMetrics metrics,
    TimeProvider time) : IJobClient
{
    public Task<long> EnqueueAsync<TArgs>(TArgs args, EnqueueOptions? options = null, CancellationToken ct = default) where TArgs : notnull =>
        EnqueueAsync(definitions.GetByArgs(typeof(TArgs)).Name, args, options, ct);

    private readonly InsertCombiner _singles = new(store, time);

    /// <remarks>Concurrent single enqueues share statements and commits (see <see cref="InsertCombiner"/>).</remarks>
    public async Task<long> EnqueueAsync(string name, object? args, EnqueueOptions? options = null, CancellationToken ct = default)
    {
        var insert = JobRequestValidator.ToInsert(new JobEnqueueRequest(name, args, options), definitions, time.GetUtcNow(), Activity.Current?.Id);
        var (id, now) = await _singles.InsertAsync(insert, ct).ConfigureAwait(false);
        JobInsertParams[] inserts = [insert];
        metrics.Enqueued(inserts);
        PublishCreated(inserts, [id], now);
        if (insert.RunAt <= now)
        {
            signals.NotifyJobsAvailable(insert.Queue);
        }
        else
        {
            alarm.Schedule(insert.Queue, insert.RunAt);
        }
        return id;
    }

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
        metrics.Enqueued(inserts);
        PublishCreated(inserts, ids, now);
        foreach (var queue in inserts.Where(j => j.RunAt <= now).Select(j => j.Queue).Distinct(StringComparer.Ordinal))
        {
            signals.NotifyJobsAvailable(queue);
        }
        foreach (var delayed in inserts.Where(j => j.RunAt > now))
        {
            alarm.Schedule(delayed.Queue, delayed.RunAt);
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
        var actor = Actor(by);
        var now = time.GetUtcNow();
        // Read first only to tell a dead-letter retry (failed) from a cancelled job's, for the metrics.
        var before = await store.JobGetAsync(jobId, ct).ConfigureAwait(false);
        var result = await store.JobRetryAsync(new JobRetryParams(jobId, now, by), ct).ConfigureAwait(false);
        if (result is { Status: JobActionStatus.Done, Job: { } job })
        {
            if (before?.State == JobState.Failed)
            {
                metrics.DeadLetterRetried(job.Queue);
            }
            events.Publish(JobEvent.From(job, JobEventKind.Retried, now));
            signals.NotifyJobsAvailable(job.Queue);
        }
        await RecordAsync(AuditActions.JobRetry, jobId, result, actor, now).ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlyList<long>> RetryDeadLettersAsync(DeadLetterFilter? filter = null, string? by = null, CancellationToken ct = default)
    {
        filter ??= new DeadLetterFilter();
        var actor = Actor(by);
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
                    metrics.DeadLetterRetried(job.Queue);
                    events.Publish(JobEvent.From(job, JobEventKind.Retried, now));
                }
            }
            foreach (var queue in definitions.Queues)
            {
                signals.NotifyJobsAvailable(queue);
            }
        }
        await RecordAsync(new AuditRecord
        {
            Actor = actor,
            Action = AuditActions.DeadLetterRetry,
            Target = filter.Queue is { } q ? AuditTargets.Queue(q) : null,
            Details = AuditDetails.DeadLetterRetry(filter, ids),
            At = now,
        }).ConfigureAwait(false);
        return ids;
    }

    public async Task<JobActionResult> CancelAsync(long jobId, string? by = null, CancellationToken ct = default)
    {
        var actor = Actor(by);
        var now = time.GetUtcNow();
        var result = await store.JobCancelAsync(new JobCancelParams(jobId, now, by), ct).ConfigureAwait(false);
        if (result is { Status: JobActionStatus.Done, Job: { } job })
        {
            // Running here: stop it now rather than at the next lease renewal.
            if (running.TryGet(jobId, out var run) && !run.Job.IsExternal)
            {
                run.Stop(StopReason.LostLease);
            }
            metrics.Cancelled(job);
            events.Publish(JobEvent.From(job, JobEventKind.Cancelled, now));
        }
        await RecordAsync(AuditActions.JobCancel, jobId, result, actor, now).ConfigureAwait(false);
        return result;
    }

    public async Task<bool> DeleteAsync(long jobId, string? by = null, CancellationToken ct = default)
    {
        var actor = Actor(by);
        var job = await store.JobGetAsync(jobId, ct).ConfigureAwait(false);
        var deleted = await store.JobDeleteAsync(new JobDeleteParams(jobId), ct).ConfigureAwait(false);
        if (deleted && job is not null)
        {
            if (job.State == JobState.Failed)
            {
                metrics.DeadLetterDropped(job.Queue);
            }
            if (running.TryGet(jobId, out var run) && !run.Job.IsExternal)
            {
                run.Stop(StopReason.LostLease);
            }
            events.Publish(JobEvent.From(job, JobEventKind.Deleted, time.GetUtcNow()));
        }
        await RecordAsync(new AuditRecord
        {
            Actor = actor,
            Action = AuditActions.JobDelete,
            Target = AuditTargets.Job(jobId),
            Details = deleted && job is not null ? AuditDetails.Job(job) : null,
            Outcome = deleted ? AuditOutcomes.Ok : AuditOutcomes.NotFound,
        }).ConfigureAwait(false);
        return deleted;
    }

    public Task PauseQueueAsync(string queue, string? by = null, CancellationToken ct = default) => SetPausedAsync(queue, true, by, ct);

    public async Task ResumeQueueAsync(string queue, string? by = null, CancellationToken ct = default)
    {
        await SetPausedAsync(queue, false, by, ct).ConfigureAwait(false);
        signals.NotifyJobsAvailable(queue);
    }

    private async Task SetPausedAsync(string queue, bool paused, string? by, CancellationToken ct)
    {
        JobRequestValidator.ValidateQueueName(queue);
        var actor = Actor(by);
        var now = time.GetUtcNow();
        await store.QueueSetPausedAsync(new QueueSetPausedParams(queue, paused, now), ct).ConfigureAwait(false);
        await RecordAsync(new AuditRecord
        {
            Actor = actor,
            Action = paused ? AuditActions.QueuePause : AuditActions.QueueResume,
            Target = AuditTargets.Queue(queue),
            At = now,
        }).ConfigureAwait(false);
    }

    private Task RecordAsync(string action, long jobId, JobActionResult result, string actor, DateTimeOffset now) =>
        RecordAsync(new AuditRecord
        {
            Actor = actor,
            Action = action,
            Target = AuditTargets.Job(jobId),
            Details = result.Job is { } job ? AuditDetails.Job(job) : null,
            Outcome = result.Status switch
            {
                JobActionStatus.Done => AuditOutcomes.Ok,
                JobActionStatus.NotFound => AuditOutcomes.NotFound,
                _ => AuditOutcomes.NotAllowed,
            },
            At = now,
        });

    // Not cancellable: once the action is done, the caller giving up must not leave it unrecorded.
    private Task RecordAsync(AuditRecord record) => audit.RecordAsync(record, CancellationToken.None);

    /// <summary>The audit actor for <paramref name="by"/>, checked before the action so that a bad one cannot fail the recording of a done action.</summary>
    private static string Actor(string? by)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            return AuditActors.App;
        }
        AuditTrail.ValidateActor(by, nameof(by));
        return by;
    }
}
