using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Jobwatch.DependencyInjection;
using Jobwatch.Engine;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwatch.Observability;

/// <summary>
/// Jobwatch's instrumentation: the engine, client and rescuer call these methods at the points where a job
/// changes state, once, and any <see cref="MeterListener"/> (the <c>/metrics</c> exporter, OpenTelemetry)
/// sees the measurements. With nobody listening each call returns after an <c>Enabled</c> check, before
/// touching labels. Label values pass through <see cref="LabelCap"/>s so their number stays bounded.
/// </summary>
public sealed class JobwatchMetrics : IDisposable
{
    private readonly bool _ownsMeter;
    private readonly string _workerId;
    private readonly string?[] _codeText = new string?[1000];

    public JobwatchMetrics(IServiceProvider services, IOptions<JobwatchOptions> options, WorkerIdentity worker, JobDefinitionRegistry definitions)
    {
        var o = options.Value.Metrics;
        // Through the host's IMeterFactory when there is one, so two hosts in one process (tests) keep apart.
        var meterOptions = new MeterOptions(JobwatchDiagnostics.MeterName) { Version = JobwatchDiagnostics.Version };
        if (services.GetService<IMeterFactory>() is { } factory)
        {
            Meter = factory.Create(meterOptions);
        }
        else
        {
            Meter = new Meter(meterOptions);
            _ownsMeter = true;
        }
        _workerId = worker.Id;
        Queues = new LabelCap(o.MaxQueues, definitions.Queues.Order(StringComparer.Ordinal));
        JobNames = new LabelCap(o.MaxJobNames, definitions.All.Select(d => d.Name).Order(StringComparer.Ordinal));
        Sources = new LabelCap(o.MaxSources);
        Instruments = new JobwatchInstruments(Meter);
        Gauges = new JobwatchGauges(this, services);
    }

    /// <summary>The Meter every Jobwatch instrument is on (name <see cref="JobwatchDiagnostics.MeterName"/>); exporters listen to exactly this instance.</summary>
    public Meter Meter { get; }
    public string WorkerId => _workerId;
    internal JobwatchInstruments Instruments { get; }
    internal JobwatchGauges Gauges { get; }
    internal LabelCap Queues { get; }
    internal LabelCap JobNames { get; }
    internal LabelCap Sources { get; }
    internal LastSuccessTimes LastSuccess { get; } = new();

    internal bool StorageTimingEnabled => Instruments.StorageOperation.Enabled;

    internal void Enqueued(IReadOnlyList<JobInsertParams> jobs)
    {
        var i = Instruments;
        if (!i.Enqueued.Enabled && !i.JobsBySource.Enabled)
        {
            return;
        }
        // A batch is usually one queue and name: one Add per run of equal labels, not per job.
        var run = 0;
        for (var k = 0; k < jobs.Count; k++)
        {
            var job = jobs[k];
            run++;
            var next = k + 1 < jobs.Count ? jobs[k + 1] : null;
            if (next is null || !string.Equals(next.Queue, job.Queue, StringComparison.Ordinal) || !string.Equals(next.Name, job.Name, StringComparison.Ordinal))
            {
                i.Enqueued.Add(run, Tag(MetricTags.Queue, Queues.Label(job.Queue)), Tag(MetricTags.JobName, JobNames.Label(job.Name)));
                run = 0;
            }
            if (job.CreatedBy is { } source)
            {
                Source(job.Queue, source, MetricTags.CreatedBy);
            }
        }
    }

    /// <summary>An external run was started through this process.</summary>
    internal void RunStarted(JobRecord run)
    {
        var i = Instruments;
        if (i.Started.Enabled)
        {
            i.Started.Add(1, Tag(MetricTags.Queue, Queues.Label(run.Queue)), Tag(MetricTags.JobName, JobNames.Label(run.Name)));
        }
        if (run.CreatedBy is { } source)
        {
            Source(run.Queue, source, MetricTags.CreatedBy);
        }
    }

    /// <summary>A worker here starts an attempt of a leased job.</summary>
    internal void AttemptStarted(JobRecord job)
    {
        var i = Instruments;
        if (!i.Started.Enabled && !i.JobWait.Enabled)
        {
            return;
        }
        var queue = Tag(MetricTags.Queue, Queues.Label(job.Queue));
        var name = Tag(MetricTags.JobName, JobNames.Label(job.Name));
        i.Started.Add(1, queue, name);
        if (job.StartedAt is { } started)
        {
            i.JobWait.Record(Math.Max(0, (started - job.RunAt).TotalSeconds), queue, name);
        }
    }

    /// <summary>
    /// An attempt's outcome was committed (only then: an outcome the store refused because the job changed
    /// hands is not counted). <paramref name="job"/> is the job as it was leased or started.
    /// </summary>
    internal void AttemptFinished(JobRecord job, JobFinish finish, TimeSpan? duration)
    {
        var i = Instruments;
        if (finish.Kind == JobFinishKind.Release)
        {
            return;
        }
        var completed = finish.Kind == JobFinishKind.Complete;
        var tracksSuccess = completed && Gauges.LastSuccess.Enabled;
        if (!tracksSuccess && !i.Completed.Enabled && !i.JobsByStatusCode.Enabled && !i.JobDuration.Enabled)
        {
            return;
        }
        var nameLabel = JobNames.Label(job.Name);
        if (tracksSuccess)
        {
            LastSuccess.Update(nameLabel, finish.At);
        }
        var queueLabel = Queues.Label(job.Queue);
        var queue = Tag(MetricTags.Queue, queueLabel);
        var name = Tag(MetricTags.JobName, nameLabel);
        if (completed)
        {
            i.Completed.Add(1, queue, name);
        }
        else
        {
            i.Failed.Add(1, queue, name);
            (finish.Kind == JobFinishKind.Retry ? i.Retried : i.DeadLettered).Add(1, queue, name);
        }
        if (finish.StatusCode is { } code)
        {
            StatusCode(queueLabel, code, finish.StatusLabel);
        }
        var seconds = duration?.TotalSeconds ?? (job.StartedAt is { } s ? Math.Max(0, (finish.At - s).TotalSeconds) : (double?)null);
        if (seconds is { } d)
        {
            i.JobDuration.Record(d, queue, name, Tag(MetricTags.Outcome, completed ? MetricTags.Completed : MetricTags.Failed));
        }
        if (finish.Progress is { } p)
        {
            // The tracker starts from the job's stored counters, so only this attempt's items are new.
            Items(queue, name, MetricTags.Succeeded, p.ItemsSucceeded - job.ItemsSucceeded);
            Items(queue, name, MetricTags.Failed, p.ItemsFailed - job.ItemsFailed);
            if (p.UpdatedBy is { } updatedBy)
            {
                Source(job.Queue, updatedBy, MetricTags.UpdatedBy);
            }
        }
    }

    /// <summary>The rescuer found the job's lease expired; <paramref name="job"/> is the job after the rescue.</summary>
    internal void Stalled(JobRecord job, RescueOutcome outcome)
    {
        var i = Instruments;
        if (!i.Stalled.Enabled)
        {
            return;
        }
        var queueLabel = Queues.Label(job.Queue);
        var queue = Tag(MetricTags.Queue, queueLabel);
        var name = Tag(MetricTags.JobName, JobNames.Label(job.Name));
        i.Stalled.Add(1, queue, name);
        if (outcome != RescueOutcome.Requeued)
        {
            i.Failed.Add(1, queue, name);
            i.DeadLettered.Add(1, queue, name);
            if (job.StatusCode is { } code)
            {
                StatusCode(queueLabel, code, job.StatusLabel);
            }
        }
    }

    internal void Cancelled(JobRecord job)
    {
        if (Instruments.Cancelled.Enabled)
        {
            Instruments.Cancelled.Add(1, Tag(MetricTags.Queue, Queues.Label(job.Queue)), Tag(MetricTags.JobName, JobNames.Label(job.Name)));
        }
    }

    internal void DeadLetterRetried(string queue)
    {
        if (Instruments.DeadLetterRetries.Enabled)
        {
            Instruments.DeadLetterRetries.Add(1, Tag(MetricTags.Queue, Queues.Label(queue)));
        }
    }

    internal void DeadLetterDropped(string queue)
    {
        if (Instruments.DeadLetterDropped.Enabled)
        {
            Instruments.DeadLetterDropped.Add(1, Tag(MetricTags.Queue, Queues.Label(queue)));
        }
    }

    /// <summary>A storage call that began at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) ended.</summary>
    internal void StorageOperation(string operation, bool ok, long startTimestamp) =>
        Instruments.StorageOperation.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
            Tag(MetricTags.Operation, operation), Tag(MetricTags.Status, ok ? MetricTags.Ok : MetricTags.Error));

    private void StatusCode(string queue, int code, string? label)
    {
        if (!Instruments.JobsByStatusCode.Enabled)
        {
            return;
        }
        var tags = new TagList
        {
            { MetricTags.Queue, queue },
            { MetricTags.StatusCode, CodeText(code) },
            { MetricTags.StatusLabel, label ?? "" },
            { MetricTags.WorkerId, _workerId },
        };
        Instruments.JobsByStatusCode.Add(1, in tags);
    }

    private void Source(string queue, string source, string sourceType)
    {
        if (Instruments.JobsBySource.Enabled && !string.IsNullOrWhiteSpace(source))
        {
            Instruments.JobsBySource.Add(1, Tag(MetricTags.Queue, Queues.Label(queue)), Tag(MetricTags.Source, Sources.Label(source)), Tag(MetricTags.SourceType, sourceType));
        }
    }

    private void Items(KeyValuePair<string, object?> queue, KeyValuePair<string, object?> name, string outcome, long count)
    {
        if (count > 0)
        {
            Instruments.ItemsProcessed.Add(count, queue, name, Tag(MetricTags.Outcome, outcome));
        }
    }

    /// <summary>Status codes as label text, made once per code rather than per job.</summary>
    private string CodeText(int code)
    {
        if ((uint)code >= (uint)_codeText.Length)
        {
            return code.ToString(CultureInfo.InvariantCulture);
        }
        return _codeText[code] ??= code.ToString(CultureInfo.InvariantCulture);
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
