using Jobwatch.AspNetCore.Realtime;
using Jobwatch.Events;
using Microsoft.Extensions.Time.Testing;

namespace Jobwatch.Realtime.Tests.Units;

/// <summary>The Last-Event-ID window: exact resumes, progress kept only as the latest per job, and honest gaps.</summary>
public sealed class ReplayWindowTests
{
    private readonly FakeTimeProvider _time = new();
    private long _seq;

    private SequencedEvent Add(ReplayWindow window, JobEventKind kind, long jobId)
    {
        var e = new SequencedEvent(++_seq, new JobEvent { Kind = kind, JobId = jobId, Queue = "q", Name = "n", At = _time.GetUtcNow() }, _time.GetTimestamp());
        window.Add(e);
        return e;
    }

    [Fact]
    public void Resuming_ReturnsEverythingAfterTheId_WithProgressAsTheLatestPerJob()
    {
        var window = new ReplayWindow(100, TimeSpan.FromMinutes(1), _time);
        var seen = Add(window, JobEventKind.Started, 1);
        Add(window, JobEventKind.Progress, 1);
        Add(window, JobEventKind.Started, 2);
        var latest = Add(window, JobEventKind.Progress, 1);
        var done = Add(window, JobEventKind.Completed, 2);

        var missed = window.After(seen.Seq, _ => true, limit: 100);

        Assert.NotNull(missed);
        Assert.Equal([3L, latest.Seq, done.Seq], missed.Select(e => e.Seq));
        Assert.Empty(window.After(done.Seq, _ => true, 100)!);
    }

    [Fact]
    public void AnIdBeforeWhatWasTrimmed_CannotResume()
    {
        var window = new ReplayWindow(3, TimeSpan.FromMinutes(1), _time);
        var old = Add(window, JobEventKind.Started, 1);
        for (var job = 2; job <= 5; job++)
        {
            Add(window, JobEventKind.Started, job);
        }
        Assert.Null(window.After(old.Seq, _ => true, 100));
        Assert.NotNull(window.After(old.Seq + 2, _ => true, 100));
    }

    [Fact]
    public void EventsOlderThanTheAge_AreTrimmed_AndTooManyToReplayIsAGap()
    {
        var window = new ReplayWindow(100, TimeSpan.FromSeconds(30), _time);
        var old = Add(window, JobEventKind.Started, 1);
        _time.Advance(TimeSpan.FromSeconds(31));
        Add(window, JobEventKind.Started, 2);
        Add(window, JobEventKind.Started, 3);

        Assert.Null(window.After(old.Seq - 1, _ => true, 100));
        Assert.Equal(2, window.After(old.Seq, _ => true, 100)!.Count);
        Assert.Null(window.After(old.Seq, _ => true, limit: 1));
    }
}
