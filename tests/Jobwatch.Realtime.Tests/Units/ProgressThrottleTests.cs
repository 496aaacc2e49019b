using Jobwatch.AspNetCore.Realtime;
using Jobwatch.Events;
using Jobwatch.Model;
using Microsoft.Extensions.Time.Testing;

namespace Jobwatch.Realtime.Tests.Units;

/// <summary>
/// Pacing of progress before fan-out: one update per job per interval, the latest value, sent when the interval is up;
/// lifecycle events and changed custom progress are never held, and a held update goes out before its job's lifecycle event.
/// </summary>
public sealed class ProgressThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new();

    private static JobEvent Progress(long jobId, long items, string? custom = null) => new()
    {
        Kind = JobEventKind.Progress,
        JobId = jobId,
        Queue = "q",
        Name = "n",
        At = DateTimeOffset.UtcNow,
        State = JobState.Active,
        Progress = new JobProgressInfo(1000, items, 0, items / 10.0, null, null, custom),
    };

    private static JobEvent Lifecycle(JobEventKind kind, long jobId) => new()
    {
        Kind = kind,
        JobId = jobId,
        Queue = "q",
        Name = "n",
        At = DateTimeOffset.UtcNow,
        State = kind == JobEventKind.Completed ? JobState.Completed : JobState.Active,
    };

    private static List<JobEvent> Admit(ProgressThrottle throttle, JobEvent e)
    {
        var send = new List<JobEvent>();
        throttle.Admit(e, send);
        return send;
    }

    [Fact]
    public void A_burst_sends_the_first_update_at_once_and_the_latest_when_the_interval_is_up()
    {
        var throttle = new ProgressThrottle(Interval, _time);

        Assert.Single(Admit(throttle, Progress(1, 1)));
        for (var i = 2; i <= 500; i++)
        {
            Assert.Empty(Admit(throttle, Progress(1, i)));
        }
        Assert.Equal(1, throttle.Held);
        Assert.Equal(498, throttle.Superseded);

        var due = new List<JobEvent>();
        var wait = throttle.TakeDue(due);
        Assert.Empty(due);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.Zero, Interval);

        _time.Advance(wait.Value);
        Assert.Null(throttle.TakeDue(due));
        Assert.Equal(500, Assert.Single(due).Progress!.ItemsProcessed);
        Assert.Equal(0, throttle.Held);
    }

    [Fact]
    public void An_update_after_a_quiet_interval_goes_out_at_once()
    {
        var throttle = new ProgressThrottle(Interval, _time);
        Admit(throttle, Progress(1, 1));
        _time.Advance(Interval);

        Assert.Single(Admit(throttle, Progress(1, 2)));
        Assert.Equal(0, throttle.Held);
    }

    [Fact]
    public void A_lifecycle_event_goes_out_at_once_after_its_jobs_held_update_and_the_next_update_is_not_held()
    {
        var throttle = new ProgressThrottle(Interval, _time);
        Admit(throttle, Progress(1, 1));
        Admit(throttle, Progress(1, 999));

        var sent = Admit(throttle, Lifecycle(JobEventKind.Completed, 1));

        Assert.Equal([JobEventKind.Progress, JobEventKind.Completed], sent.Select(e => e.Kind));
        Assert.Equal(999, sent[0].Progress!.ItemsProcessed);
        var due = new List<JobEvent>();
        Assert.Null(throttle.TakeDue(due));
        Assert.Empty(due);
        // A retry's progress starts afresh.
        Assert.Single(Admit(throttle, Progress(1, 1)));
    }

    [Fact]
    public void Another_jobs_lifecycle_event_leaves_a_held_update_alone()
    {
        var throttle = new ProgressThrottle(Interval, _time);
        Admit(throttle, Progress(1, 1));
        Admit(throttle, Progress(1, 2));

        Assert.Single(Admit(throttle, Lifecycle(JobEventKind.Started, 2)));
        Assert.Equal(1, throttle.Held);
    }

    [Fact]
    public void A_changed_custom_progress_message_is_never_held()
    {
        var throttle = new ProgressThrottle(Interval, _time);
        Admit(throttle, Progress(1, 1, "{\"batch\":1}"));
        Assert.Empty(Admit(throttle, Progress(1, 2, "{\"batch\":1}")));

        var sent = Admit(throttle, Progress(1, 3, "{\"batch\":2}"));

        Assert.Equal(3, Assert.Single(sent).Progress!.ItemsProcessed);
        Assert.Equal(0, throttle.Held);
    }

    [Fact]
    public void Jobs_started_together_are_spread_over_the_interval()
    {
        var throttle = new ProgressThrottle(Interval, _time);
        for (long job = 1; job <= 10; job++)
        {
            Admit(throttle, Progress(job, 1));
            Admit(throttle, Progress(job, 2));
        }
        var releases = new List<int>();
        for (var step = 0; step <= 10; step++)
        {
            var due = new List<JobEvent>();
            throttle.TakeDue(due);
            releases.Add(due.Count);
            _time.Advance(Interval / 10);
        }
        Assert.Equal(10, releases.Sum());
        Assert.True(releases.Max() <= 3, $"released per tenth of the interval: {string.Join(", ", releases)}");
    }

    [Fact]
    public void A_zero_interval_sends_every_update()
    {
        var throttle = new ProgressThrottle(TimeSpan.Zero, _time);
        for (var i = 1; i <= 100; i++)
        {
            Assert.Single(Admit(throttle, Progress(1, i)));
        }
        Assert.False(throttle.Enabled);
    }
}
