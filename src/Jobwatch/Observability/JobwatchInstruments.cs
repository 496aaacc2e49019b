using System.Diagnostics.Metrics;

namespace Jobwatch.Observability;

/// <summary>
/// Every instrument Jobwatch records on, created once on the one Meter named "Jobwatch" (Quartz.NET's
/// Meters.cs is the model). Names follow OpenTelemetry style; a Prometheus exporter turns
/// <c>jobwatch.jobs.enqueued</c> into <c>jobwatch_jobs_enqueued_total</c> and
/// <c>jobwatch.job.duration</c> (unit s) into <c>jobwatch_job_duration_seconds</c>. The table in docs/metrics.md lists them all.
/// </summary>
internal sealed class JobwatchInstruments
{
    // Seconds. Jobs run from milliseconds to an hour; waits from sub-millisecond (a busy worker) to hours (a backlog).
    internal static readonly double[] JobDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
    internal static readonly double[] JobWaitBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];
    internal static readonly double[] StorageBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public JobwatchInstruments(Meter meter)
    {
        JobsByStatusCode = meter.CreateCounter<long>("jobwatch.jobs.by_status_code", "{attempt}",
            "Finished attempts by status code and label (seed 000), per worker process.");
        JobsBySource = meter.CreateCounter<long>("jobwatch.jobs.by_source", "{job}",
            "Jobs by source: createdBy counted when a job is enqueued or a run started, updatedBy when an attempt finishes.");
        Enqueued = meter.CreateCounter<long>("jobwatch.jobs.enqueued", "{job}", "Jobs enqueued.");
        Started = meter.CreateCounter<long>("jobwatch.jobs.started", "{attempt}", "Attempts started by a worker, and external runs started.");
        Completed = meter.CreateCounter<long>("jobwatch.jobs.completed", "{job}", "Attempts that completed (success or skip code).");
        Failed = meter.CreateCounter<long>("jobwatch.jobs.failed", "{attempt}", "Attempts that failed, whether retried or dead-lettered.");
        Retried = meter.CreateCounter<long>("jobwatch.jobs.retried", "{attempt}", "Failed attempts scheduled to run again after a backoff.");
        DeadLettered = meter.CreateCounter<long>("jobwatch.jobs.dead_lettered", "{job}", "Jobs moved to the dead-letter queue (failed with no attempts left, a final code, or stalled too often).");
        Stalled = meter.CreateCounter<long>("jobwatch.jobs.stalled", "{job}", "Jobs whose lease expired under them (worker died or reporter went silent), counted by the rescuing leader.");
        Cancelled = meter.CreateCounter<long>("jobwatch.jobs.cancelled", "{job}", "Jobs cancelled by an operator.");
        ItemsProcessed = meter.CreateCounter<long>("jobwatch.job.items_processed", "{item}", "Items handlers reported as processed, by outcome (succeeded or failed).");
        DeadLetterRetries = meter.CreateCounter<long>("jobwatch.dead_letter.retries", "{job}", "Dead-lettered jobs sent back to run by an operator.");
        DeadLetterDropped = meter.CreateCounter<long>("jobwatch.dead_letter.dropped", "{job}", "Dead-lettered jobs deleted.");

        JobDuration = meter.CreateHistogram("jobwatch.job.duration", "s", "How long attempts ran, by outcome (completed or failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = JobDurationBuckets });
        JobWait = meter.CreateHistogram("jobwatch.job.wait", "s", "Time from when a job was due (enqueued, or its run_at when delayed or retried) to its start.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = JobWaitBuckets });
        StorageOperation = meter.CreateHistogram("jobwatch.storage.operation.duration", "s", "Storage calls made by Jobwatch, by operation and status (ok or error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StorageBuckets });
    }

    public Counter<long> JobsByStatusCode { get; }
    public Counter<long> JobsBySource { get; }
    public Counter<long> Enqueued { get; }
    public Counter<long> Started { get; }
    public Counter<long> Completed { get; }
    public Counter<long> Failed { get; }
    public Counter<long> Retried { get; }
    public Counter<long> DeadLettered { get; }
    public Counter<long> Stalled { get; }
    public Counter<long> Cancelled { get; }
    public Counter<long> ItemsProcessed { get; }
    public Counter<long> DeadLetterRetries { get; }
    public Counter<long> DeadLetterDropped { get; }
    public Histogram<double> JobDuration { get; }
    public Histogram<double> JobWait { get; }
    public Histogram<double> StorageOperation { get; }
}
