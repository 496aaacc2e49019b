using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Progress;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;

namespace Jobwatch.Runs;

/// <summary>
/// A live external run. Every report is also a heartbeat; a run with no report for its heartbeat
/// timeout is marked stalled by the rescuer. Disposing a run that was neither completed nor failed
/// fails it, so nothing stays "running" forever.
/// </summary>
public sealed class JobRun : IProgressReporter, IAsyncDisposable
{
    private readonly RunningJob _running;
    private readonly OutcomeWriter _writer;
    private readonly StatusCodeRegistry _codes;
    private readonly TimeProvider _time;
    private readonly Action<JobRun>? _released;
    private int _finished;

    internal JobRun(RunningJob running, OutcomeWriter writer, StatusCodeRegistry codes, TimeProvider time, TimeSpan heartbeatTimeout, Action<JobRun>? released = null)
    {
        _running = running;
        _writer = writer;
        _codes = codes;
        _time = time;
        HeartbeatTimeout = heartbeatTimeout;
        _released = released;
    }

    public long Id => _running.Job.Id;
    /// <summary>The run as it was started (its state and counters are not kept up to date here; see <see cref="Progress"/>).</summary>
    public JobRecord Job => _running.Job;
    public JobProgressInfo Progress => _running.Tracker.Info();
    public string? UpdatedBy => _running.Tracker.UpdatedBy;
    /// <summary>Marked stalled after this long without a report.</summary>
    public TimeSpan HeartbeatTimeout { get; }
    /// <summary>When the last report (of any kind) arrived.</summary>
    public DateTimeOffset LastReportAt => _running.Tracker.Snapshot().Update.At;
    /// <summary>Without another report, the run is marked stalled after this instant (once the rescuer next looks).</summary>
    public DateTimeOffset LeaseUntil => LastReportAt + HeartbeatTimeout;
    /// <summary>True once <see cref="CompleteAsync"/> or <see cref="FailAsync(string, int, string?)"/> was called: further reports are not recorded.</summary>
    public bool IsFinished => Volatile.Read(ref _finished) == 1;
    internal RunningJob Running => _running;

    public void SetTotal(long totalItems) => _running.Tracker.SetTotal(totalItems);
    public void ItemSucceeded(long count = 1) => _running.Tracker.ItemSucceeded(count);
    public void ItemFailed(long count = 1) => _running.Tracker.ItemFailed(count);
    public void ReportPercent(double percent) => _running.Tracker.ReportPercent(percent);
    public void ReportCustom(object progress) => _running.Tracker.ReportCustom(progress);
    public void SetUpdatedBy(string source) => _running.Tracker.SetUpdatedBy(source);
    /// <summary>"Still alive" with nothing new to count.</summary>
    public void Heartbeat() => _running.Tracker.Heartbeat();

    /// <summary>Completes the run with a success (2xx) or skip (3xx) code.</summary>
    public Task CompleteAsync(int statusCode = JobStatusCodes.Success, object? result = null)
    {
        var code = _codes.Get(statusCode);
        if (code.Class is not (StatusCodeClass.Success or StatusCodeClass.Skipped))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Complete takes a 2xx or 3xx code; use FailAsync for errors.");
        }
        var json = result is null ? null : result as string ?? System.Text.Json.JsonSerializer.Serialize(result, Handlers.JobJson.Options);
        return FinishAsync(now => JobFinish.Complete(Id, Job.WorkerId!, Job.Attempt, code.Code, code.Label, json, _running.Tracker.Snapshot().Update, now),
            now => [JobEvent.From(After(JobState.Completed, code, now) with { Result = json }, JobEventKind.Completed, now)]);
    }

    /// <summary>Fails the run (it goes to the dead-letter list; external runs are not retried).</summary>
    public Task FailAsync(string error, int statusCode = JobStatusCodes.InternalError, string? stack = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        var code = _codes.Get(statusCode);
        if (code.Class != StatusCodeClass.Error)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Fail takes a 4xx or 5xx code.");
        }
        return FinishAsync(now => JobFinish.DeadLetter(Id, Job.WorkerId!, Job.Attempt, code.Code, code.Label, error, stack, _running.Tracker.Snapshot().Update, now),
            now =>
            {
                var failed = After(JobState.Failed, code, now) with { LastError = error, LastErrorStack = stack };
                return [JobEvent.From(failed, JobEventKind.Failed, now), JobEvent.From(failed, JobEventKind.DeadLettered, now)];
            });
    }

    public Task FailAsync(Exception exception, int statusCode = JobStatusCodes.InternalError) =>
        FailAsync(exception.Message, statusCode, exception.ToString());

    private JobRecord After(JobState state, StatusCodeDefinition code, DateTimeOffset now)
    {
        var p = _running.Tracker.Snapshot().Update;
        return Job with
        {
            State = state,
            StatusCode = code.Code,
            StatusLabel = code.Label,
            FinishedAt = now,
            TotalItems = p.TotalItems,
            ItemsSucceeded = p.ItemsSucceeded,
            ItemsFailed = p.ItemsFailed,
            ReportedPercent = p.ReportedPercent,
            CustomProgress = p.CustomProgress,
            UpdatedBy = p.UpdatedBy,
        };
    }

    private async Task FinishAsync(Func<DateTimeOffset, JobFinish> finish, Func<DateTimeOffset, IReadOnlyList<JobEvent>> events)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            throw new InvalidOperationException($"Run {Id} has already been completed or failed.");
        }
        _running.Tracker.MarkFinishing();
        var now = _time.GetUtcNow();
        bool saved;
        try
        {
            saved = await _writer.Submit(new PendingOutcome(finish(now), _running, events(now))).ConfigureAwait(false);
        }
        finally
        {
            // Saved or not, this run is over for this process: nothing may find it by id any more.
            _released?.Invoke(this);
        }
        if (!saved)
        {
            throw new InvalidOperationException(
                $"Run {Id} was no longer active, so its outcome was not recorded: it was marked stalled (no report within its heartbeat timeout), cancelled or deleted.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _finished) == 0)
        {
            try
            {
                await FailAsync("The run was disposed without being completed or failed.").ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already stalled or cancelled: nothing left to record.
            }
        }
    }
}
