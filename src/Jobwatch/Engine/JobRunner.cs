using System.Diagnostics;
using Jobwatch.DependencyInjection;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Observability;
using Jobwatch.Progress;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>Runs one leased attempt: resolves the handler, enforces the timeout, classifies the outcome and hands it to the <see cref="OutcomeWriter"/>.</summary>
public sealed class JobRunner(
    IServiceScopeFactory scopes,
    JobDefinitionRegistry definitions,
    StatusCodeRegistry codes,
    RunningJobs running,
    OutcomeWriter writer,
    DueJobAlarm alarm,
    IJobEventPublisher events,
    ShutdownSignal shutdown,
    TimeProvider time,
    IOptions<JobwatchOptions> options,
    JobwatchMetrics metrics,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Jobwatch.Job");
    private readonly JobwatchOptions _options = options.Value;

    /// <summary>Outcomes handed to the writer and not yet committed.</summary>
    public int OutcomesPending => writer.Pending;

    /// <summary>Takes ownership of a freshly leased job: from here on its lease is renewed and it can be stopped.</summary>
    public RunningJob Lease(JobRecord job)
    {
        var run = new RunningJob(job, new ProgressTracker(job, events, time));
        running.Add(run);
        return run;
    }

    /// <summary>Hands a leased job that never started back to waiting, its attempt given back.</summary>
    public void Release(RunningJob run)
    {
        run.Tracker.MarkFinishing();
        Submit(run, JobFinish.Release(run.Job.Id, run.Job.WorkerId!, run.Job.Attempt, null, time.GetUtcNow()), null);
    }

    /// <summary>Leases and runs a job (tests and simple callers).</summary>
    public Task RunAsync(JobRecord job) => RunAsync(Lease(job));

    /// <summary>Runs the handler; returns when it has finished (the outcome may still be committing).</summary>
    public async Task RunAsync(RunningJob run)
    {
        var job = run.Job;
        var tracker = run.Tracker;
        if (run.StopReason == StopReason.LostLease)
        {
            // Cancelled or deleted while it waited in the lease-ahead buffer.
            running.Remove(run);
            return;
        }
        var startedAt = time.GetTimestamp();
        // Current while the handler runs: what it calls (and enqueues) joins the job's trace.
        using var activity = JobTracing.StartAttempt(job);
        metrics.AttemptStarted(job);
        if (events.HasListeners)
        {
            events.Publish(JobEvent.From(job, JobEventKind.Started, time.GetUtcNow()));
        }

        using var scope = _logger.BeginJobScope(job);
        JobLog.Started(_logger, job.Name, job.Attempt, job.MaxAttempts);
        definitions.TryGet(job.Name, out var definition);
        using var timeout = StartTimeout(run, definition);

        AttemptOutcome outcome;
        try
        {
            outcome = await InvokeAsync(job, definition, tracker, run.Cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (run.StopReason != StopReason.None)
        {
            outcome = run.StopReason == StopReason.Timeout
                ? AttemptOutcome.FromException(JobStatusCodes.Timeout, new TimeoutException($"The handler ran past its timeout and was cancelled.", ex))
                : AttemptOutcome.FromException(JobStatusCodes.InternalError, ex);
        }
        catch (OperationCanceledException ex) when (shutdown.Token.IsCancellationRequested)
        {
            // The handler stopped early because the host is shutting down: release, don't spend the attempt.
            run.Stop(StopReason.Shutdown);
            outcome = AttemptOutcome.FromException(JobStatusCodes.InternalError, ex);
        }
        catch (JobFailedException ex)
        {
            outcome = AttemptOutcome.FromException(ex.StatusCode, ex);
        }
        catch (PayloadUnreadableException ex)
        {
            outcome = AttemptOutcome.FromException(JobStatusCodes.InternalError, ex, forceFinal: true);
        }
        catch (Exception ex)
        {
            outcome = AttemptOutcome.FromException(JobStatusCodes.InternalError, ex);
        }

        var duration = time.GetElapsedTime(startedAt);
        Finish(run, definition, outcome, duration, activity);
    }

    private IDisposable? StartTimeout(RunningJob run, JobDefinition? definition)
    {
        var limit = run.Job.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : definition?.Options.Timeout;
        return limit is { } t ? time.CreateTimer(_ => run.Stop(StopReason.Timeout), null, t, Timeout.InfiniteTimeSpan) : null;
    }

    private async ValueTask<AttemptOutcome> InvokeAsync(JobRecord job, JobDefinition? definition, ProgressTracker tracker, CancellationToken ct)
    {
        if (definition is null)
        {
            return AttemptOutcome.FromException(JobStatusCodes.InternalError,
                new UnknownJobNameException(job.Name, definitions.All.Select(d => d.Name)));
        }
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService(definition.HandlerType);
        var context = new JobContext(job, tracker, _logger, ct, shutdown.Token);
        var result = await HandlerInvoker.InvokeAsync(definition, handler, job.Payload, context, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Handler {definition.HandlerType.Name} returned null; return a JobResult.");
        return AttemptOutcome.Classify(codes.Get(result.StatusCode), result.ResultJson, result.Message);
    }

    private void Finish(RunningJob run, JobDefinition? definition, AttemptOutcome outcome, TimeSpan duration, Activity? activity)
    {
        var job = run.Job;
        var tracker = run.Tracker;
        tracker.MarkFinishing();
        var now = time.GetUtcNow();
        var progress = tracker.Snapshot().Update;
        var ms = Math.Round(duration.TotalMilliseconds, 3);

        if (run.StopReason == StopReason.LostLease)
        {
            JobLog.LostLease(_logger, job.Name);
            JobTracing.LostLease(activity);
            running.Remove(run);
            return;
        }
        if (run.StopReason == StopReason.Shutdown)
        {
            JobLog.Released(_logger, job.Name, ms);
            var release = JobFinish.Release(job.Id, job.WorkerId!, job.Attempt, progress, now);
            JobTracing.Finished(activity, release, null, null);
            Submit(run, release, null);
            return;
        }

        var code = codes.Get(outcome.StatusCode);
        if (outcome.IsSuccess)
        {
            JobLog.Completed(_logger, job.Name, code.Code, code.Label, ms);
            var finish = JobFinish.Complete(job.Id, job.WorkerId!, job.Attempt, code.Code, code.Label, outcome.ResultJson, progress, now);
            JobTracing.Finished(activity, finish, null, null);
            Submit(run, finish, new AttemptEvents(job, finish, code, progress, tracker.StartedAt, ms), duration);
            return;
        }

        var error = outcome.Error ?? code.Label;
        var canRetry = !outcome.ForceFinal && code.Retryable && job.Attempt < job.MaxAttempts;
        if (canRetry)
        {
            var retryAt = now + Backoff.Delay(_options.Backoff, job.Attempt, Random.Shared.NextDouble());
            JobLog.Retrying(_logger, outcome.LoggableException, job.Name, code.Code, code.Label, ms, error, retryAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            var finish = JobFinish.Retry(job.Id, job.WorkerId!, job.Attempt, code.Code, code.Label, error, outcome.Stack, retryAt, progress, now);
            JobTracing.Finished(activity, finish, error, outcome.LoggableException);
            Submit(run, finish, new AttemptEvents(job, finish, code, progress, tracker.StartedAt, ms), duration);
            alarm.Schedule(job.Queue, retryAt);
        }
        else
        {
            JobLog.DeadLettered(_logger, outcome.LoggableException, job.Name, code.Code, code.Label, ms, error);
            var finish = JobFinish.DeadLetter(job.Id, job.WorkerId!, job.Attempt, code.Code, code.Label, error, outcome.Stack, progress, now);
            JobTracing.Finished(activity, finish, error, outcome.LoggableException);
            Submit(run, finish, new AttemptEvents(job, finish, code, progress, tracker.StartedAt, ms), duration);
        }
    }

    private void Submit(RunningJob run, JobFinish finish, AttemptEvents? finishEvents, TimeSpan? duration = null)
    {
        try
        {
            writer.Post(new PendingOutcome(finish, run, finishEvents, duration));
        }
        catch (InvalidOperationException ex)
        {
            // Only after a hard stop: the lease will expire and the job will be rescued and run again.
            _logger.LogWarning(ex, "Could not record the outcome of job {JobId}", run.Job.Id);
            running.Remove(run);
        }
    }
}
