using System.Diagnostics;
using Jobwatch.DependencyInjection;
using Jobwatch.Model;
using Jobwatch.Storage;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Engine;

/// <summary>
/// Feeds one queue's handlers. Each fetch leases a batch in one statement; while handlers are short
/// (a running average under <see cref="ShortJobThreshold"/>) it leases ahead up to
/// <see cref="JobwatchOptions.FetchBatchSize"/> jobs, so a busy queue costs one transaction per many
/// jobs instead of one per freed slot. Long jobs are never leased ahead, so they are not held back
/// from other workers. It sleeps until a wake-up (an enqueue here, or a cross-node signal), a freed
/// slot with work waiting, the outcome writer catching up after it held fetching back, or the poll
/// interval.
/// </summary>
public sealed class QueueWorker
{
    public static readonly TimeSpan ShortJobThreshold = TimeSpan.FromMilliseconds(25);

    private readonly string _queue;
    private readonly int _concurrency;
    private readonly IJobStore _store;
    private readonly JobRunner _runner;
    private readonly WorkerIdentity _worker;
    private readonly TimeProvider _time;
    private readonly JobwatchOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly object _gate = new();
    private readonly Queue<RunningJob> _buffer = new();
    private TaskCompletionSource? _drained;
    private int _busy;
    private double _averageMs = double.MaxValue;
    private volatile bool _lastFetchFull;
    // 1 while the loop waits for the outcome writer to catch up; set and read with full fences (see HeldBackByOutcomes).
    private int _heldBack;

    public QueueWorker(string queue, int concurrency, IJobStore store, JobRunner runner, WorkerIdentity worker, TimeProvider time, JobwatchOptions options, ILogger logger)
    {
        _queue = queue;
        _concurrency = concurrency;
        _store = store;
        _runner = runner;
        _worker = worker;
        _time = time;
        _options = options;
        _logger = logger;
    }

    public string Queue => _queue;
    public int Concurrency => _concurrency;
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>Jobs leased ahead and waiting for a free slot.</summary>
    public int Buffered { get { lock (_gate) { return _buffer.Count; } } }

    private bool ShortJobs => Volatile.Read(ref _averageMs) < ShortJobThreshold.TotalMilliseconds;

    public void Wake()
    {
        // Checked first because a throw is costly and finishing jobs wake often; the catch covers the race.
        if (_wake.CurrentCount > 0)
        {
            return;
        }
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake: one pending wake-up is enough.
        }
    }

    /// <summary>Fetches and runs until <paramref name="stopFetching"/> fires, then hands back jobs leased ahead; running handlers are left to <see cref="DrainAsync"/>.</summary>
    public async Task RunAsync(CancellationToken stopFetching)
    {
        var failures = 0;
        while (!stopFetching.IsCancellationRequested)
        {
            Dispatch();
            var target = ShortJobs ? Math.Max(_options.FetchBatchSize, _concurrency) : _concurrency;
            var buffered = Buffered;
            var want = Math.Min(target - Busy - buffered, _options.FetchBatchSize);
            // With work still buffered, wait until there is room for a worthwhile batch. While storage
            // lags behind on saving outcomes, lease nothing more: leases would only pile up and expire.
            if (want <= 0 || (buffered > 0 && want < target / 2) || HeldBackByOutcomes())
            {
                await WaitAsync(_options.PollInterval, stopFetching).ConfigureAwait(false);
                continue;
            }
            // Consume any pending wake-up before fetching: an enqueue after this point wakes us again.
            while (_wake.Wait(0)) { }
            IReadOnlyList<JobRecord> jobs;
            try
            {
                var now = _time.GetUtcNow();
                jobs = await _store.JobFetchAvailableAsync(new JobFetchParams(_queue, want, _worker.Id, now, now + _options.LeaseDuration), CancellationToken.None).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception ex) when (!stopFetching.IsCancellationRequested)
            {
                failures++;
                if (failures == 1 || failures % 10 == 0)
                {
                    _logger.LogWarning(ex, "Fetching from queue {Queue} failed ({Failures} in a row); backing off", _queue, failures);
                }
                await WaitAsync(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(failures, 6)))), stopFetching, wakeable: false).ConfigureAwait(false);
                continue;
            }
            lock (_gate)
            {
                foreach (var job in jobs)
                {
                    _buffer.Enqueue(_runner.Lease(job));
                }
            }
            _lastFetchFull = jobs.Count == want;
            if (!_lastFetchFull && Buffered == 0)
            {
                Dispatch();
                await WaitAsync(_options.PollInterval, stopFetching).ConfigureAwait(false);
            }
        }
        ReleaseBuffered();
    }

    private int OutcomeBacklogLimit => 2 * _options.OutcomeBatchSize;

    /// <summary>
    /// True when storage lags behind on saving outcomes, so fetching waits. The flag is raised before
    /// the backlog is read again: a batch the writer finishes in between either sees the flag (and
    /// wakes us in <see cref="OnOutcomesWritten"/>) or is already counted in the second read.
    /// </summary>
    private bool HeldBackByOutcomes()
    {
        if (_runner.OutcomesPending <= OutcomeBacklogLimit)
        {
            return false;
        }
        Interlocked.Exchange(ref _heldBack, 1);
        if (_runner.OutcomesPending <= OutcomeBacklogLimit)
        {
            Volatile.Write(ref _heldBack, 0);
            return false;
        }
        return true;
    }

    /// <summary>
    /// Called after the outcome writer commits a batch. Without it a loop held back by the backlog
    /// slept until the poll interval once its last slot had finished: nothing else was left to wake
    /// it, and a busy queue stood idle for up to a second at a time.
    /// </summary>
    public void OnOutcomesWritten()
    {
        if (Volatile.Read(ref _heldBack) == 1
            && _runner.OutcomesPending <= OutcomeBacklogLimit
            && Interlocked.Exchange(ref _heldBack, 0) == 1)
        {
            Wake();
        }
    }

    /// <summary>Starts buffered jobs while slots are free.</summary>
    private void Dispatch()
    {
        while (true)
        {
            RunningJob run;
            lock (_gate)
            {
                if (_buffer.Count == 0 || _busy >= _concurrency)
                {
                    return;
                }
                run = _buffer.Dequeue();
                _busy++;
            }
            _ = RunSlotAsync(run);
        }
    }

    /// <summary>
    /// One busy slot: runs its job, then the next buffered one while there is any, then frees the slot.
    /// Taking the next job here rather than through a new task per job spares each short job a
    /// thread-pool hop and a handful of allocations (Task.Run, its unwrap, a continuation).
    /// </summary>
    private async Task RunSlotAsync(RunningJob run)
    {
        var startedAt = Stopwatch.GetTimestamp();
        // Off the caller (the fetch loop, or a finishing job) at once, so it can start other slots.
        await Task.Yield();
        while (true)
        {
            try
            {
                await _runner.RunAsync(run).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "The runner for job {JobId} failed unexpectedly", run.Job.Id);
            }
            var now = Stopwatch.GetTimestamp();
            var ms = Stopwatch.GetElapsedTime(startedAt, now).TotalMilliseconds;
            var avg = Volatile.Read(ref _averageMs);
            Volatile.Write(ref _averageMs, avg == double.MaxValue ? ms : avg * 0.9 + ms * 0.1);
            TaskCompletionSource? drained = null;
            lock (_gate)
            {
                if (_buffer.Count > 0)
                {
                    run = _buffer.Dequeue();
                    startedAt = now;
                    continue;
                }
                _busy--;
                if (_busy == 0)
                {
                    (drained, _drained) = (_drained, null);
                }
            }
            drained?.TrySetResult();
            // Wake the loop only when a freed slot has something to do: a queue that filled the last
            // fetch. An idle queue is woken by enqueues, not by every finished job.
            if (_lastFetchFull)
            {
                Wake();
            }
            return;
        }
    }

    private void ReleaseBuffered()
    {
        RunningJob[] leftover;
        lock (_gate)
        {
            leftover = _buffer.ToArray();
            _buffer.Clear();
        }
        foreach (var run in leftover)
        {
            _runner.Release(run);
        }
    }

    /// <summary>Waits for running handlers to finish.</summary>
    public Task DrainAsync()
    {
        lock (_gate)
        {
            return _busy == 0 ? Task.CompletedTask : (_drained ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private async Task WaitAsync(TimeSpan max, CancellationToken ct, bool wakeable = true)
    {
        try
        {
            if (wakeable)
            {
                await _wake.WaitAsync(max, ct).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(max, _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
