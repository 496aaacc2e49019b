using System.Threading.Channels;
using Jobwatch.Events;
using Jobwatch.Observability;
using Jobwatch.Storage;
using Jobwatch.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>An attempt's outcome waiting to be committed, with the events to publish once it is.</summary>
internal sealed class PendingOutcome
{
    private static readonly IReadOnlyList<JobEvent> NoEvents = [];
    private readonly IReadOnlyList<JobEvent>? _events;
    private readonly AttemptEvents? _attemptEvents;
    private TaskCompletionSource<bool>? _waiter;

    public PendingOutcome(JobFinish finish, RunningJob running, IReadOnlyList<JobEvent> events)
    {
        Finish = finish;
        Running = running;
        _events = events;
    }

    /// <summary>An outcome whose events are built only if someone listens when it is committed.</summary>
    public PendingOutcome(JobFinish finish, RunningJob running, AttemptEvents? events, TimeSpan? duration = null)
    {
        Finish = finish;
        Running = running;
        _attemptEvents = events;
        Duration = duration;
    }

    public JobFinish Finish { get; }
    public RunningJob Running { get; }
    /// <summary>How long the handler ran, as the runner measured it; null for runs (their time comes from their start).</summary>
    public TimeSpan? Duration { get; }

    public IReadOnlyList<JobEvent> BuildEvents() => _events ?? _attemptEvents?.Build() ?? NoEvents;

    /// <summary>A task that completes with whether the outcome was saved; made only for a caller that waits (<see cref="OutcomeWriter.Submit"/>), before the hand-over.</summary>
    public Task<bool> Wait() => (_waiter = new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Called once, by the writer.</summary>
    public void SetCommitted(bool committed) => _waiter?.TrySetResult(committed);
}

/// <summary>
/// Commits outcomes in batches: whatever has finished while the previous batch was being written goes
/// in the next transaction, so a busy process makes one commit per many jobs and an idle one commits at
/// once. A storage error is retried with backoff; an outcome is never dropped (the job keeps its lease
/// meanwhile, because it stays in <see cref="RunningJobs"/> until committed).
/// </summary>
public sealed class OutcomeWriter(
    IJobStore store,
    IJobEventPublisher events,
    RunningJobs running,
    TimeProvider time,
    IOptions<JobwatchOptions> options,
    JobwatchMetrics metrics,
    ILogger<OutcomeWriter> logger)
{
    private readonly Channel<PendingOutcome> _channel = Channel.CreateUnbounded<PendingOutcome>(new() { SingleReader = true });
    private readonly int _batchSize = options.Value.OutcomeBatchSize;
    private int _pending;

    /// <summary>Outcomes accepted but not yet committed.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Raised on the writer's loop after each batch is written (or given up), once <see cref="Pending"/> counts it out.</summary>
    public event Action? BatchWritten;

    internal Task<bool> Submit(PendingOutcome outcome)
    {
        // Made before the hand-over (which publishes it to the writer's thread), so the writer always sees it.
        var committed = outcome.Wait();
        Post(outcome);
        return committed;
    }

    /// <summary>Hands over an outcome nobody waits for (a finished attempt: the job's bookkeeping follows the commit).</summary>
    internal void Post(PendingOutcome outcome)
    {
        Interlocked.Increment(ref _pending);
        if (!_channel.Writer.TryWrite(outcome))
        {
            Interlocked.Decrement(ref _pending);
            throw new InvalidOperationException("Jobwatch is shutting down: the outcome writer no longer accepts outcomes.");
        }
    }

    /// <summary>Runs until <see cref="Complete"/> is called and everything submitted is written.</summary>
    public async Task RunAsync(CancellationToken hardStop)
    {
        var batch = new List<PendingOutcome>(_batchSize);
        var ids = new HashSet<long>();
        // Results are matched to outcomes by job id, so one batch never holds two outcomes of the
        // same job (a stale attempt and its successor): the second waits for the next batch.
        PendingOutcome? carried = null;
        var reader = _channel.Reader;
        while (carried is not null || await WaitToReadAsync(reader, hardStop).ConfigureAwait(false))
        {
            if (carried is not null)
            {
                batch.Add(carried);
                ids.Add(carried.Finish.JobId);
                carried = null;
            }
            while (batch.Count < _batchSize && reader.TryRead(out var item))
            {
                if (!ids.Add(item.Finish.JobId))
                {
                    carried = item;
                    break;
                }
                batch.Add(item);
            }
            await WriteWithRetryAsync(batch, hardStop).ConfigureAwait(false);
            batch.Clear();
            ids.Clear();
            BatchWritten?.Invoke();
        }
    }

    /// <summary>Stops accepting; <see cref="RunAsync"/> ends once the backlog is written.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private static async Task<bool> WaitToReadAsync(ChannelReader<PendingOutcome> reader, CancellationToken ct)
    {
        try
        {
            return await reader.WaitToReadAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WriteWithRetryAsync(List<PendingOutcome> batch, CancellationToken hardStop)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                var finishes = batch.Select(b => b.Finish).ToArray();
                var applied = await store.JobFinishManyAsync(new JobFinishManyParams(finishes, time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
                Publish(batch, applied.Count == batch.Count ? null : applied.ToHashSet());
                return;
            }
            catch (Exception ex) when (!hardStop.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Saving {Count} job outcomes failed; retrying in {Delay} ms", batch.Count, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, time, hardStop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Hard stop: these jobs keep their lease until it expires and are then run again.
                }
                delay = TimeSpan.FromMilliseconds(Math.Min(5000, delay.TotalMilliseconds * 2));
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Giving up on {Count} job outcomes at hard stop; their jobs will be rescued after their lease expires", batch.Count);
                foreach (var item in batch)
                {
                    Done(item, false);
                }
                return;
            }
        }
    }

    private void Publish(List<PendingOutcome> batch, HashSet<long>? applied)
    {
        foreach (var item in batch)
        {
            var ok = applied is null || applied.Contains(item.Finish.JobId);
            if (!ok)
            {
                logger.LogInformation("The outcome of job {JobId} attempt {Attempt} was not saved: the job changed hands (cancelled, deleted or rescued) while it ran",
                    item.Finish.JobId, item.Finish.Attempt);
            }
            else
            {
                // Counted only once committed: an outcome the store refused never happened.
                metrics.AttemptFinished(item.Running.Job, item.Finish, item.Duration);
                if (events.HasListeners)
                {
                    foreach (var e in item.BuildEvents())
                    {
                        events.Publish(e);
                    }
                }
            }
            Done(item, ok);
        }
    }

    private void Done(PendingOutcome item, bool committed)
    {
        running.Remove(item.Running);
        Interlocked.Decrement(ref _pending);
        item.SetCommitted(committed);
    }
}
