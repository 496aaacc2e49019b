using Jobwatch.Client;
using Jobwatch.Contracts.Events;

namespace Jobwatch.Realtime.Tests.Infrastructure;

/// <summary>One event as a hub client received it.</summary>
public sealed record Received(string Name, JobEventPayload Payload);

/// <summary>Records every event a hub client receives, in order, and waits (bounded) for the ones a test expects.</summary>
public sealed class EventRecorder
{
    private readonly object _gate = new();
    private readonly List<Received> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EventRecorder(JobwatchHubClient client)
    {
        client.OnJobCreated(p => Add(JobEventNames.JobCreated, p));
        client.OnJobStarted(p => Add(JobEventNames.JobStarted, p));
        client.OnJobProgress(p => Add(JobEventNames.JobProgress, p));
        client.OnCustomProgress(p => Add(JobEventNames.CustomProgress, p));
        client.OnJobCompleted(p => Add(JobEventNames.JobCompleted, p));
        client.OnJobFailed(p => Add(JobEventNames.JobFailed, p));
        client.OnJobRetrying(p => Add(JobEventNames.JobRetrying, p));
        client.OnJobStalled(p => Add(JobEventNames.JobStalled, p));
        client.OnJobDeadLettered(p => Add(JobEventNames.JobDeadLettered, p));
        client.OnJobCancelled(p => Add(JobEventNames.JobCancelled, p));
        client.OnJobRetried(p => Add(JobEventNames.JobRetried, p));
        client.OnJobDeleted(p => Add(JobEventNames.JobDeleted, p));
    }

    public IReadOnlyList<Received> All { get { lock (_gate) { return _events.ToArray(); } } }

    public IReadOnlyList<Received> For(long jobId) => All.Where(e => e.Payload.JobId == jobId).ToArray();

    public string Describe(long? jobId = null) =>
        string.Join(", ", (jobId is { } id ? For(id) : All).Select(e => $"{e.Name}(job {e.Payload.JobId}, {e.Payload.State}{(e.Payload.Snapshot ? ", snapshot" : "")})"));

    /// <summary>The first event named <paramref name="name"/> of the job that satisfies <paramref name="match"/>; fails after 30 s.</summary>
    public async Task<T> WaitForAsync<T>(string name, long jobId, Func<T, bool>? match = null) where T : JobEventPayload
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _events.FirstOrDefault(e => e.Name == name && e.Payload.JobId == jobId && e.Payload is T t && (match?.Invoke(t) ?? true));
                if (found is not null)
                {
                    return (T)found.Payload;
                }
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No {name} event for job {jobId} within 30 s; received: {Describe()}.");
            }
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    public Task<JobEventPayload> WaitForAsync(string name, long jobId) => WaitForAsync<JobEventPayload>(name, jobId);

    public Task<JobEventPayload> WaitForAsync(string name, long jobId, int attempt) => WaitForAsync<JobEventPayload>(name, jobId, e => e.Attempt == attempt);

    private void Add(string name, JobEventPayload payload)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _events.Add(new Received(name, payload));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
