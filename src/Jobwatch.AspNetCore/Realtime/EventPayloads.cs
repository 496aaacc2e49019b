using System.Text.Json;
using Jobwatch.Contracts.Events;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Monitoring;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>Turns core job events, and job snapshots read on subscribing, into the documented wire payloads.</summary>
internal static class EventPayloads
{
    public static OutgoingMessage FromEvent(JobEvent e, long seq)
    {
        var (name, shell) = e.Kind switch
        {
            JobEventKind.Created => (JobEventNames.JobCreated, new JobEventPayload()),
            JobEventKind.Started => (JobEventNames.JobStarted, new JobEventPayload()),
            JobEventKind.Progress => (JobEventNames.JobProgress, new JobProgressPayload { Progress = e.Progress?.Percent }),
            JobEventKind.Completed => (JobEventNames.JobCompleted, new JobCompletedPayload { ProcessingTime = Ms(e.DurationMs) }),
            JobEventKind.Failed => (JobEventNames.JobFailed, new JobFailedPayload { Error = e.Error, WillRetry = e.WillRetry, RetryAt = e.RetryAt, ProcessingTime = Ms(e.DurationMs) }),
            JobEventKind.Retrying => (JobEventNames.JobRetrying, new JobRetryingPayload { Error = e.Error, RetryAt = e.RetryAt }),
            JobEventKind.DeadLettered => (JobEventNames.JobDeadLettered, new JobDeadLetteredPayload { Error = e.Error }),
            JobEventKind.Stalled => (JobEventNames.JobStalled, new JobStalledPayload { Requeued = !e.State.IsTerminal() }),
            JobEventKind.Cancelled => (JobEventNames.JobCancelled, new JobEventPayload()),
            JobEventKind.Retried => (JobEventNames.JobRetried, new JobEventPayload()),
            JobEventKind.Deleted => (JobEventNames.JobDeleted, new JobEventPayload()),
            _ => (JobEventNames.JobProgress, new JobEventPayload()),
        };
        return new OutgoingMessage(name, Common(shell, e), seq);
    }

    public static OutgoingMessage CustomFromEvent(JobEvent e, long seq) =>
        new(JobEventNames.CustomProgress, Common(new CustomProgressPayload { Custom = Json(e.Progress?.CustomProgress) }, e), seq);

    /// <summary>
    /// The job's state as events: a finished job gets its final event(s), a running one its progress (and custom progress),
    /// a waiting or delayed one a progress event showing that state. All marked <c>snapshot: true</c>.
    /// </summary>
    public static IEnumerable<OutgoingMessage> Snapshot(JobDetail detail, long seq, DateTimeOffset now)
    {
        var view = detail.View;
        var job = view.Job;
        var ms = view.DurationSeconds is { } d ? Math.Round(d * 1000, 3) : (double?)null;
        var at = job.FinishedAt ?? job.ProgressAt ?? job.StartedAt ?? job.CreatedAt;
        switch (job.State)
        {
            case JobState.Completed:
                yield return Message(JobEventNames.JobCompleted, new JobCompletedPayload { ProcessingTime = ms });
                break;
            case JobState.Failed:
                yield return Message(JobEventNames.JobFailed, new JobFailedPayload { Error = job.LastError, WillRetry = false, ProcessingTime = ms });
                yield return Message(JobEventNames.JobDeadLettered, new JobDeadLetteredPayload { Error = job.LastError });
                break;
            case JobState.Cancelled:
                yield return Message(JobEventNames.JobCancelled, new JobEventPayload());
                break;
            default:
                at = job.State == JobState.Active ? now : at;
                yield return Message(JobEventNames.JobProgress, new JobProgressPayload { Progress = view.ProgressPercent });
                if (job.CustomProgress is not null)
                {
                    yield return Message(JobEventNames.CustomProgress, new CustomProgressPayload { Custom = Json(job.CustomProgress) });
                }
                break;
        }

        OutgoingMessage Message(string name, JobEventPayload shell) => new(name, shell with
        {
            JobId = job.Id,
            Queue = job.Queue,
            Name = job.Name,
            Type = job.Type,
            State = job.State.ToName(),
            Attempt = job.Attempt,
            MaxAttempts = job.MaxAttempts,
            StatusCode = job.StatusCode,
            StatusLabel = job.StatusLabel,
            CreatedBy = job.CreatedBy,
            UpdatedBy = job.UpdatedBy,
            WorkerId = job.WorkerId,
            External = job.IsExternal,
            Timestamp = at,
            Snapshot = true,
            TotalItems = job.TotalItems,
            ItemsProcessed = job.ItemsProcessed,
            ItemsSucceeded = job.ItemsSucceeded,
            ItemsFailed = job.ItemsFailed,
            Percent = view.ProgressPercent,
            ItemsPerSecond = view.ItemsPerSecond,
            EtaSeconds = view.EstimatedRemainingSeconds,
        }, seq);
    }

    // `with` on the base type copies the derived record (its clone is virtual), so one place fills the common fields.
    private static JobEventPayload Common(JobEventPayload shell, JobEvent e)
    {
        var p = e.Progress;
        var percent = p?.Percent ?? (e.Kind == JobEventKind.Completed ? 100 : null);
        return shell with
        {
            JobId = e.JobId,
            Queue = e.Queue,
            Name = e.Name,
            Type = e.Type,
            State = e.State.ToName(),
            Attempt = e.Attempt,
            MaxAttempts = e.MaxAttempts,
            StatusCode = e.StatusCode,
            StatusLabel = e.StatusLabel,
            CreatedBy = e.CreatedBy,
            UpdatedBy = e.UpdatedBy,
            WorkerId = e.WorkerId,
            External = e.IsExternal,
            Timestamp = e.At,
            TotalItems = p?.TotalItems,
            ItemsProcessed = p?.ItemsProcessed ?? 0,
            ItemsSucceeded = p?.ItemsSucceeded ?? 0,
            ItemsFailed = p?.ItemsFailed ?? 0,
            Percent = percent,
            ItemsPerSecond = p?.ItemsPerSecond,
            EtaSeconds = p?.EtaSeconds,
        };
    }

    private static double? Ms(double? ms) => ms is { } v ? Math.Round(v, 3) : null;

    /// <summary>Custom progress is stored as JSON text; clients get it as JSON (or as a string if it somehow is not JSON).</summary>
    private static JsonElement Json(string? raw)
    {
        if (raw is null)
        {
            return default;
        }
        try
        {
            using var doc = JsonDocument.Parse(raw);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(raw);
        }
    }
}
