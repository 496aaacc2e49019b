using Jobwatch.Events;
using Jobwatch.Monitoring;

namespace Jobwatch.Engine.Tests.Infrastructure;

/// <summary>Reads a live subscription in the background and keeps everything it saw.</summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly JobEventSubscription _subscription;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<JobEvent> _events = [];
    private readonly Task _reader;

    public EventRecorder(IJobMonitor monitor, JobEventFilter? filter = null)
    {
        _subscription = monitor.Subscribe(filter);
        _reader = Task.Run(ReadAsync);
    }

    public Exception? Fault { get; private set; }

    public IReadOnlyList<JobEvent> Events
    {
        get { lock (_events) { return _events.ToArray(); } }
    }

    public IReadOnlyList<JobEvent> For(long jobId) => Events.Where(e => e.JobId == jobId).ToArray();

    public IReadOnlyList<JobEventKind> KindsFor(long jobId, bool withProgress = false) =>
        For(jobId).Where(e => withProgress || e.Kind != JobEventKind.Progress).Select(e => e.Kind).ToArray();

    public Task<JobEvent> WaitForAsync(long jobId, JobEventKind kind, TimeSpan? timeout = null) =>
        WaitForAsync(e => e.JobId == jobId && e.Kind == kind, $"a {kind} event for job {jobId}", timeout);

    public async Task<JobEvent> WaitForAsync(Func<JobEvent, bool> match, string what, TimeSpan? timeout = null)
    {
        var found = await Eventually.UntilAsync(() => Task.FromResult(Events.FirstOrDefault(match)), e => e is not null || Fault is not null, what, timeout);
        return found ?? throw new InvalidOperationException($"The subscription ended while waiting for {what}", Fault);
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var e in _subscription.ReadAllAsync(_stop.Token))
            {
                lock (_events) { _events.Add(e); }
            }
        }
        catch (Exception ex)
        {
            Fault = ex;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _subscription.Dispose();
        await _reader;
        _stop.Dispose();
    }
}
