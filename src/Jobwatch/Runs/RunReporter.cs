using System.Diagnostics;
using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Progress;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;
using Microsoft.Extensions.Options;

namespace Jobwatch.Runs;

public sealed class RunReporter(
    IJobStore store,
    RunningJobs running,
    OutcomeWriter writer,
    IJobEventPublisher events,
    StatusCodeRegistry codes,
    WorkerIdentity worker,
    TimeProvider time,
    IOptions<JobwatchOptions> options) : IRunReporter
{
    public async Task<JobRun> StartAsync(RunOptions o, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentException.ThrowIfNullOrWhiteSpace(o.Name);
        JobRequestValidator.ValidateQueueName(o.Queue);
        if (o.TotalItems < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(o), o.TotalItems, "TotalItems must not be negative.");
        }
        var timeout = o.HeartbeatTimeout ?? options.Value.RunHeartbeatTimeout;
        if (timeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(o), timeout, "HeartbeatTimeout must be at least 1 second.");
        }
        var now = time.GetUtcNow();
        var job = await store.RunStartAsync(new RunStartParams
        {
            Queue = o.Queue,
            Name = o.Name,
            Type = o.Type ?? o.Name,
            TotalItems = o.TotalItems,
            Metadata = o.Metadata is null ? null : o.Metadata as string ?? System.Text.Json.JsonSerializer.Serialize(o.Metadata, Handlers.JobJson.Options),
            CreatedBy = o.CreatedBy,
            OwnerId = $"{worker.Id}:run",
            Now = now,
            LeaseUntil = now + timeout,
            TraceParent = Activity.Current?.Id,
        }, ct).ConfigureAwait(false);
        var run = new RunningJob(job, new ProgressTracker(job, events, time, timeout));
        running.Add(run);
        events.Publish(JobEvent.From(job, JobEventKind.Created, now));
        events.Publish(JobEvent.From(job, JobEventKind.Started, now));
        return new JobRun(run, writer, codes, time);
    }
}
