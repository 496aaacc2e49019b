using Jobwatch.DependencyInjection;
using Jobwatch.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>
/// Feeds one queue's handlers: leases as many jobs as it has free slots in one fetch, runs them, and
/// sleeps until a wake-up (an enqueue here, or a cross-node signal), a freed slot, or the poll interval.
/// </summary>
public sealed class QueueWorker
{
    private readonly string _queue;
    private readonly int _concurrency;
    private readonly IJobStore _store;
    private readonly JobRunner _runner;
    private readonly WorkerIdentity _worker;
    private readonly TimeProvider _time;
    private readonly JobwatchOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly object _runningGate = new();
    private readonly HashSet<Task> _inFlight = [];
    private int _busy;

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

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake: one pending wake-up is enough.
        }
    }

    /// <summary>Fetches and runs until <paramref name="stopFetching"/> fires; running handlers are left to <see cref="DrainAsync"/>.</summary>
    public async Task RunAsync(CancellationToken stopFetching)
    {
        var failures = 0;
        while (!stopFetching.IsCancellationRequested)
        {
            var free = _concurrency - Busy;
            if (free <= 0)
            {
                await WaitAsync(_options.PollInterval, stopFetching).ConfigureAwait(false);
                continue;
            }
            // Consume any pending wake-up before fetching: an enqueue after this point wakes us again.
            while (_wake.Wait(0)) { }
            var want = Math.Min(free, _options.FetchBatchSize);
            IReadOnlyList<Model.JobRecord> jobs;
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
            foreach (var job in jobs)
            {
                Start(job);
            }
            if (jobs.Count < want)
            {
                await WaitAsync(_options.PollInterval, stopFetching).ConfigureAwait(false);
            }
        }
    }

    private void Start(Model.JobRecord job)
    {
        Interlocked.Increment(ref _busy);
        var task = Task.Run(() => _runner.RunAsync(job));
        lock (_runningGate)
        {
            _inFlight.Add(task);
        }
        task.ContinueWith(t =>
        {
            if (t.IsFaulted)
            {
                _logger.LogError(t.Exception, "The runner for job {JobId} failed unexpectedly", job.Id);
            }
            lock (_runningGate)
            {
                _inFlight.Remove(t);
            }
            Interlocked.Decrement(ref _busy);
            Wake();
        }, TaskScheduler.Default);
    }

    /// <summary>Waits for running handlers to finish.</summary>
    public Task DrainAsync()
    {
        lock (_runningGate)
        {
            return Task.WhenAll(_inFlight.ToArray());
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
