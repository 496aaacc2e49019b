using Jobwatch.DependencyInjection;
using Jobwatch.Handlers;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>
/// Starts and stops everything in order. Start: migrate, validate registrations, start the outcome
/// writer, progress flusher, lease renewal, leader election and leader duties, then one
/// <see cref="QueueWorker"/> per queue that has handlers. Stop: stop fetching, give running handlers
/// <see cref="JobwatchOptions.ShutdownTimeout"/>, cancel the rest (their jobs are released back to
/// waiting), write every outcome, resign leadership.
/// </summary>
public sealed class JobwatchEngine(
    IJobStore store,
    JobDefinitionRegistry definitions,
    StatusCodeRegistry codes,
    RunningJobs running,
    OutcomeWriter writer,
    ProgressFlusher flusher,
    LeaseRenewer renewer,
    LeaderElector leader,
    StalledJobRescuer rescuer,
    DueJobPromoter promoter,
    JobRunner runner,
    WorkerIdentity worker,
    IJobSignals signals,
    ShutdownSignal shutdown,
    TimeProvider time,
    IOptions<JobwatchOptions> options,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<JobwatchEngine>();
    private readonly JobwatchOptions _options = options.Value;
    private readonly CancellationTokenSource _stopFetching = new();
    private readonly CancellationTokenSource _stopDuties = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly List<QueueWorker> _workers = [];
    private readonly List<Task> _loops = [];
    private readonly List<Task> _workerLoops = [];
    private Task? _writerLoop;
    private IDisposable? _wakeSubscription;
    private bool _started;

    public IReadOnlyList<QueueWorker> Workers => _workers;
    public string WorkerId => worker.Id;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = codes.All; // constructing the registry validates status codes (duplicates fail here, at start-up)
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        _writerLoop = Task.Run(() => writer.RunAsync(_hardStop.Token));
        _loops.Add(Task.Run(() => flusher.RunAsync(_stopDuties.Token)));
        _loops.Add(Task.Run(() => leader.RunAsync(_stopDuties.Token)));
        _loops.Add(Task.Run(() => rescuer.RunAsync(_stopDuties.Token)));
        _loops.Add(Task.Run(() => promoter.RunAsync(_stopDuties.Token)));
        _loops.Add(Task.Run(() => renewer.RunAsync(_stopDuties.Token)));

        if (_options.RunWorkers)
        {
            foreach (var queue in definitions.Queues.Order(StringComparer.Ordinal))
            {
                var concurrency = _options.Queues.TryGetValue(queue, out var q) ? q.Concurrency : _options.DefaultConcurrency;
                _workers.Add(new QueueWorker(queue, concurrency, store, runner, worker, time, _options, loggers.CreateLogger<QueueWorker>()));
            }
            var byQueue = _workers.ToDictionary(w => w.Queue, StringComparer.Ordinal);
            _wakeSubscription = signals.OnJobsAvailable(queue =>
            {
                if (byQueue.TryGetValue(queue, out var w)) w.Wake();
            });
            writer.BatchWritten += WakeWorkersHeldBack;
            foreach (var w in _workers)
            {
                _workerLoops.Add(Task.Run(() => w.RunAsync(_stopFetching.Token)));
            }
        }
        _started = true;
        _logger.LogInformation("Jobwatch started on {Storage} as {WorkerId}: {Queues}", store.Name, worker.Id,
            _workers.Count == 0 ? "no workers" : string.Join(", ", _workers.Select(w => $"{w.Queue}×{w.Concurrency}")));
    }

    private void WakeWorkersHeldBack()
    {
        foreach (var w in _workers)
        {
            w.OnOutcomesWritten();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            return;
        }
        _started = false;
        _stopFetching.Cancel();
        shutdown.Trigger();
        _wakeSubscription?.Dispose();
        writer.BatchWritten -= WakeWorkersHeldBack;

        // Worker loops end promptly (an in-flight fetch completes) and hand back jobs they leased ahead.
        await Task.WhenAll(_workerLoops).ConfigureAwait(false);
        var drain = Task.WhenAll(_workers.Select(w => w.DrainAsync()));
        var graceful = await Task.WhenAny(drain, Task.Delay(_options.ShutdownTimeout, time, CancellationToken.None)).ConfigureAwait(false) == drain;
        if (!graceful)
        {
            var stopping = running.All.Where(r => !r.Job.IsExternal).ToArray();
            _logger.LogWarning("{Count} jobs still running after the shutdown timeout of {Timeout}; cancelling them and releasing their jobs", stopping.Length, _options.ShutdownTimeout);
            foreach (var r in stopping)
            {
                r.Stop(StopReason.Shutdown);
            }
            // Handlers that ignore cancellation keep their lease; it expires and the rescuer re-queues them.
            await Task.WhenAny(drain, Task.Delay(TimeSpan.FromSeconds(5), time, CancellationToken.None)).ConfigureAwait(false);
        }

        try
        {
            await flusher.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The last progress flush failed at shutdown");
        }
        writer.Complete();
        if (_writerLoop is not null)
        {
            // Outcomes get a bounded time to reach storage; after that their jobs are rescued after the lease.
            if (await Task.WhenAny(_writerLoop, Task.Delay(TimeSpan.FromSeconds(10), time, CancellationToken.None)).ConfigureAwait(false) != _writerLoop)
            {
                _hardStop.Cancel();
                await _writerLoop.ConfigureAwait(false);
            }
        }
        _stopDuties.Cancel();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        await leader.ResignAsync().ConfigureAwait(false);
        _logger.LogInformation("Jobwatch stopped ({WorkerId})", worker.Id);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        _stopFetching.Dispose();
        _stopDuties.Dispose();
        _hardStop.Dispose();
    }
}
