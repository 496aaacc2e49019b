using Jobwatch.Events;
using Microsoft.Extensions.Logging.Abstractions;
using static Jobwatch.UnitTests.TestData;

namespace Jobwatch.UnitTests.Events;

public class JobEventBusTests
{
    private readonly JobEventBus _bus = new(NullLogger<JobEventBus>.Instance);

    [Fact]
    public void Every_subscriber_gets_the_events_its_filter_matches()
    {
        using var all = _bus.Subscribe();
        using var one = _bus.Subscribe(new JobEventFilter { JobIds = new HashSet<long> { 2 } });
        _bus.Publish(Event(JobEventKind.Created, jobId: 1));
        _bus.Publish(Event(JobEventKind.Created, jobId: 2));

        Assert.True(all.TryRead(out var a1));
        Assert.True(all.TryRead(out var a2));
        Assert.Equal([1L, 2L], new[] { a1.JobId, a2.JobId });
        Assert.True(one.TryRead(out var o1));
        Assert.Equal(2, o1.JobId);
        Assert.False(one.TryRead(out _));
    }

    [Fact]
    public void A_disposed_subscription_leaves_the_bus()
    {
        var sub = _bus.Subscribe();
        Assert.Equal(1, _bus.SubscriberCount);
        sub.Dispose();
        Assert.Equal(0, _bus.SubscriberCount);
        _bus.Publish(Event(JobEventKind.Created));
        Assert.False(sub.TryRead(out _));
    }

    [Fact]
    public void Capacity_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _bus.Subscribe(capacity: 0));
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_does_not_block_publishing_100k_progress_events_and_holds_one_per_job()
    {
        using var sleeper = _bus.Subscribe();
        const int jobs = 10;
        const int events = 100_000;

        var publishing = Task.Run(() =>
        {
            for (var i = 0; i < events; i++)
            {
                _bus.Publish(Event(JobEventKind.Progress, jobId: i % jobs, items: i));
            }
        });
        Assert.True(await Task.WhenAny(publishing, Task.Delay(TimeSpan.FromSeconds(60))) == publishing, "Publish blocked on a subscriber that never reads");
        await publishing;

        Assert.Equal(events - jobs, sleeper.CoalescedCount);
        var pending = new List<JobEvent>();
        while (sleeper.TryRead(out var e))
        {
            pending.Add(e);
        }
        Assert.Equal(jobs, pending.Count);
        // Each job's one pending entry carries its latest report.
        Assert.All(pending, e => Assert.Equal(events - jobs + e.JobId, e.Progress!.ItemsSucceeded));
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_does_not_block_publishing_100k_lifecycle_events_and_is_ended()
    {
        using var sleeper = _bus.Subscribe(capacity: 1000);
        using var reader = _bus.Subscribe(new JobEventFilter { JobIds = new HashSet<long> { 99_999 } });

        var publishing = Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                _bus.Publish(Event(JobEventKind.Created, jobId: i));
            }
        });
        Assert.True(await Task.WhenAny(publishing, Task.Delay(TimeSpan.FromSeconds(60))) == publishing, "Publish blocked on a subscriber that never reads");
        await publishing;

        var kept = 0;
        Assert.Throws<SubscriberTooSlowException>(() =>
        {
            while (sleeper.TryRead(out _))
            {
                kept++;
            }
        });
        Assert.Equal(1000, kept);
        // Other subscribers are unaffected by the slow one.
        Assert.True(reader.TryRead(out var last));
        Assert.Equal(99_999, last.JobId);
    }
}
