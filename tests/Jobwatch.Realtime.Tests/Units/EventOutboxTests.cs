using Jobwatch.AspNetCore.Realtime;
using Jobwatch.Events;
using Jobwatch.Model;

namespace Jobwatch.Realtime.Tests.Units;

/// <summary>The per-client queue: order, progress coalescing, the lifecycle bound, and subscription changes.</summary>
public sealed class EventOutboxTests
{
    private long _seq;

    private SequencedEvent Event(JobEventKind kind, long jobId, string queue = "q", long items = 0) => new(++_seq, new JobEvent
    {
        Kind = kind,
        JobId = jobId,
        Queue = queue,
        Name = "n",
        At = DateTimeOffset.UtcNow,
        State = kind == JobEventKind.Completed ? JobState.Completed : JobState.Active,
        Progress = new JobProgressInfo(100, items, 0, items, null, null, null),
    }, 0);

    private static List<SequencedEvent> Drain(EventOutbox outbox)
    {
        var items = new List<SequencedEvent>();
        while (outbox.TryRead(out var item))
        {
            items.Add(item.Event!);
        }
        return items;
    }

    [Fact]
    public void ProgressBursts_KeepOnePendingUpdatePerJob_InItsPlace_TheLatestValue()
    {
        var outbox = new EventOutbox(SubscriptionSet.Everything, capacity: 16);
        outbox.Offer(Event(JobEventKind.Started, 1));
        for (var i = 1; i <= 1000; i++)
        {
            outbox.Offer(Event(JobEventKind.Progress, 1, items: i));
        }
        outbox.Offer(Event(JobEventKind.Completed, 1, items: 1000));
        outbox.Offer(Event(JobEventKind.Progress, 2, items: 7));

        var read = Drain(outbox);

        Assert.Equal([JobEventKind.Started, JobEventKind.Progress, JobEventKind.Completed, JobEventKind.Progress], read.Select(e => e.Event.Kind));
        Assert.Equal(1000, read[1].Event.Progress!.ItemsSucceeded);
        Assert.Equal(999, outbox.Coalesced);
    }

    [Fact]
    public void MoreLifecycleEventsThanTheCapacity_OverflowTheClient_InsteadOfDroppingOne()
    {
        var outbox = new EventOutbox(SubscriptionSet.Everything, capacity: 3);
        for (var job = 1; job <= 3; job++)
        {
            outbox.Offer(Event(JobEventKind.Completed, job));
        }
        Assert.False(outbox.Overflowed);

        outbox.Offer(Event(JobEventKind.Completed, 4));

        Assert.True(outbox.Overflowed);
        Assert.Empty(Drain(outbox));
        Assert.True(outbox.WaitAsync().IsCompleted);
    }

    [Fact]
    public void Subscriptions_FilterWhatIsQueued_AndDroppingOneRemovesWhatIsWaiting()
    {
        var outbox = new EventOutbox(SubscriptionSet.None, capacity: 16);
        outbox.Offer(Event(JobEventKind.Started, 1));
        outbox.Change(s => s.WithJob(1, add: true).WithQueue("emails", add: true));
        outbox.Offer(Event(JobEventKind.Progress, 1));
        outbox.Offer(Event(JobEventKind.Started, 2, "emails"));
        outbox.Offer(Event(JobEventKind.Started, 3, "other"));

        outbox.Change(s => s.WithJob(1, add: false));

        Assert.Equal([2L], Drain(outbox).Select(e => e.Event.JobId));
        Assert.Equal((0, 0), outbox.Pending);
    }

    [Fact]
    public void ASnapshot_IsQueuedBeforeEveryLaterEventOfItsJob()
    {
        var outbox = new EventOutbox(SubscriptionSet.None, capacity: 16);
        var slot = outbox.SubscribeJob(5);
        outbox.Offer(Event(JobEventKind.Completed, 5));

        Assert.True(outbox.TryRead(out var first));
        Assert.Same(slot, first.Snapshot);
        Assert.True(outbox.TryRead(out var second));
        Assert.Equal(JobEventKind.Completed, second.Event!.Event.Kind);
    }
}
