using System.Diagnostics.Metrics;
using Jobwatch.Engine;
using Jobwatch.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Observability;

/// <summary>
/// The observable instruments: read when a listener collects, never on the hot path. Queue, dead-letter,
/// storage and last-success gauges come from the <see cref="StoreMetricsSampler"/> (the same on every node);
/// worker gauges from this process's queue workers. Services are resolved at the first collection, since
/// the sampler itself depends on services that depend on <see cref="JobwatchMetrics"/>.
/// </summary>
internal sealed class JobwatchGauges
{
    private readonly JobwatchMetrics _metrics;
    private readonly IServiceProvider _services;

    public JobwatchGauges(JobwatchMetrics metrics, IServiceProvider services)
    {
        _metrics = metrics;
        _services = services;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("jobwatch.queue.jobs", QueueJobs, "{job}",
            "Jobs per queue and state (waiting, active, delayed, completed, failed, cancelled, paused: waiting in a paused queue), from storage.");
        meter.CreateObservableGauge("jobwatch.queue.paused", () => Queues(q => q.Paused ? 1L : 0L), "{queue}", "1 when the queue is paused, from storage.");
        meter.CreateObservableGauge("jobwatch.queue.oldest_waiting_age", () => Queues(q => q.OldestWaitingAgeSeconds), "s",
            "Age of the oldest job that is due and not started (0 when none), from storage.");
        meter.CreateObservableGauge("jobwatch.dead_letter.jobs", () => Queues(q => q.Failed), "{job}", "Jobs in the dead-letter queue (failed), from storage.");
        meter.CreateObservableGauge("jobwatch.worker.busy_slots", () => Workers(w => w.Busy), "{slot}", "Handler slots of this process running a job.");
        meter.CreateObservableGauge("jobwatch.worker.concurrency", () => Workers(w => w.Concurrency), "{slot}", "Handler slots of this process per queue.");
        meter.CreateObservableGauge("jobwatch.worker.buffer_length", () => Workers(w => w.Buffered), "{job}", "Jobs this process leased ahead and has not started yet.");
        meter.CreateObservableGauge("jobwatch.worker.outcomes_pending", OutcomesPending, "{job}", "Finished attempts of this process not yet saved to storage.");
        meter.CreateObservableGauge("jobwatch.storage.up", StorageUp, null, "1 when the last storage check succeeded.");
        meter.CreateObservableGauge("jobwatch.storage.latency", StorageLatency, "s", "Duration of the last storage check.");
        LastSuccess = meter.CreateObservableGauge("jobwatch.job.last_success_timestamp", LastSuccessTimes, "s",
            "Unix time of the last completed run per job name (this process's completions and storage's).");
        meter.CreateObservableGauge("jobwatch.build_info", () => new Measurement<long>(1, new KeyValuePair<string, object?>(MetricTags.Version, JobwatchDiagnostics.Version)), null,
            "Always 1; the version label says which Jobwatch runs.");
    }

    public ObservableGauge<double> LastSuccess { get; }

    private StoreSample? Sample() => Resolve<StoreMetricsSampler>()?.CurrentRefreshingInBackground();

    private IEnumerable<Measurement<long>> QueueJobs()
    {
        foreach (var q in Sample()?.Queues ?? [])
        {
            yield return State(q, "waiting", q.Waiting);
            yield return State(q, "active", q.Active);
            yield return State(q, "delayed", q.Delayed);
            yield return State(q, "completed", q.Completed);
            yield return State(q, "failed", q.Failed);
            yield return State(q, "cancelled", q.Cancelled);
            yield return State(q, "paused", q.PausedJobs);
        }
    }

    private static Measurement<long> State(QueueSample q, string state, long value) =>
        new(value, new KeyValuePair<string, object?>(MetricTags.Queue, q.Queue), new KeyValuePair<string, object?>(MetricTags.State, state));

    private IEnumerable<Measurement<T>> Queues<T>(Func<QueueSample, T> value) where T : struct =>
        (Sample()?.Queues ?? []).Select(q => new Measurement<T>(value(q), new KeyValuePair<string, object?>(MetricTags.Queue, q.Queue)));

    private IEnumerable<Measurement<int>> Workers(Func<QueueWorker, int> value) =>
        (Resolve<JobwatchEngineInfo>()?.Workers ?? []).Select(w => new Measurement<int>(value(w), new KeyValuePair<string, object?>(MetricTags.Queue, _metrics.Queues.Label(w.Queue))));

    private IEnumerable<Measurement<int>> OutcomesPending() =>
        Resolve<OutcomeWriter>() is { } writer ? [new Measurement<int>(writer.Pending)] : [];

    private IEnumerable<Measurement<int>> StorageUp() =>
        Sample() is { } s ? [new Measurement<int>(s.StorageUp ? 1 : 0)] : [];

    private IEnumerable<Measurement<double>> StorageLatency() =>
        Sample() is { } s ? [new Measurement<double>(s.StorageLatencySeconds)] : [];

    private IEnumerable<Measurement<double>> LastSuccessTimes()
    {
        // Reading the sample keeps the store's view of last successes fresh too.
        _ = Sample();
        return _metrics.LastSuccess.Snapshot().Select(kv => new Measurement<double>(kv.Value, new KeyValuePair<string, object?>(MetricTags.JobName, kv.Key)));
    }

    private T? Resolve<T>() where T : class
    {
        try
        {
            return _services.GetService<T>();
        }
        catch (ObjectDisposedException)
        {
            // A collection racing the host's shutdown.
            return null;
        }
    }
}
