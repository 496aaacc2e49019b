using Jobwatch.Events;
using Jobwatch.Model;

namespace Jobwatch.UnitTests;

internal static class TestData
{
    public static JobRecord Job(long id = 1, string queue = "default", DateTimeOffset? startedAt = null) => new()
    {
        Id = id,
        Queue = queue,
        Name = "tick_sync",
        Type = "tick_sync",
        State = JobState.Active,
        Payload = "{}",
        Attempt = 1,
        MaxAttempts = 3,
        RunAt = startedAt ?? DateTimeOffset.UnixEpoch,
        CreatedAt = startedAt ?? DateTimeOffset.UnixEpoch,
        StartedAt = startedAt,
        WorkerId = "worker-1",
    };

    public static JobEvent Event(JobEventKind kind, long jobId = 1, string queue = "default", long items = 0) => new()
    {
        Kind = kind,
        JobId = jobId,
        Queue = queue,
        Name = "tick_sync",
        At = DateTimeOffset.UnixEpoch,
        Progress = new JobProgressInfo(null, items, 0, null, null, null, null),
    };
}

/// <summary>Keeps every published event, for assertions.</summary>
internal sealed class RecordingPublisher : IJobEventPublisher
{
    private readonly List<JobEvent> _events = [];

    public IReadOnlyList<JobEvent> Events
    {
        get { lock (_events) { return _events.ToArray(); } }
    }

    public void Publish(JobEvent e)
    {
        lock (_events) { _events.Add(e); }
    }
}
