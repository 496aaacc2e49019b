using Jobwatch.Events;
using static Jobwatch.UnitTests.TestData;

namespace Jobwatch.UnitTests.Events;

public class JobEventSubscriptionTests
{
    private static JobEventSubscription Subscription(JobEventFilter? filter = null, int capacity = 100) =>
        new(filter ?? JobEventFilter.All, capacity, _ => { });

    private static List<JobEvent> Drain(JobEventSubscription sub)
    {
        var read = new List<JobEvent>();
        while (sub.TryRead(out var e))
        {
            read.Add(e);
        }
        return read;
    }

    [Fact]
    public void A_job_filter_lets_through_only_that_jobs_events()
    {
        var sub = Subscription(new JobEventFilter { JobIds = new HashSet<long> { 7 } });
        sub.Offer(Event(JobEventKind.Created, jobId: 6));
        sub.Offer(Event(JobEventKind.Created, jobId: 7));
        sub.Offer(Event(JobEventKind.Progress, jobId: 8));
        sub.Offer(Event(JobEventKind.Completed, jobId: 7));

        Assert.Equal([(7L, JobEventKind.Created), (7L, JobEventKind.Completed)], Drain(sub).Select(e => (e.JobId, e.Kind)));
    }

    [Fact]
    public void A_queue_filter_lets_through_only_that_queues_events()
    {
        var sub = Subscription(new JobEventFilter { Queues = new HashSet<string> { "emails" } });
        sub.Offer(Event(JobEventKind.Created, jobId: 1, queue: "default"));
        sub.Offer(Event(JobEventKind.Created, jobId: 2, queue: "emails"));
        sub.Offer(Event(JobEventKind.Created, jobId: 3, queue: "Emails"));

        Assert.Equal([2L], Drain(sub).Select(e => e.JobId));
    }

    [Fact]
    public void Job_and_queue_filters_together_match_either()
    {
        var filter = new JobEventFilter { JobIds = new HashSet<long> { 1 }, Queues = new HashSet<string> { "emails" } };
        Assert.True(filter.Matches(Event(JobEventKind.Created, jobId: 1, queue: "x")));
        Assert.True(filter.Matches(Event(JobEventKind.Created, jobId: 2, queue: "emails")));
        Assert.False(filter.Matches(Event(JobEventKind.Created, jobId: 2, queue: "x")));
    }

    [Fact]
    public void Excluding_progress_keeps_only_lifecycle_events()
    {
        var sub = Subscription(new JobEventFilter { ExcludeProgress = true });
        sub.Offer(Event(JobEventKind.Started));
        sub.Offer(Event(JobEventKind.Progress));
        sub.Offer(Event(JobEventKind.Completed));

        Assert.Equal([JobEventKind.Started, JobEventKind.Completed], Drain(sub).Select(e => e.Kind));
    }

    [Fact]
    public void Progress_is_coalesced_in_place_keeping_its_position_and_the_latest_value()
    {
        var sub = Subscription();
        sub.Offer(Event(JobEventKind.Started, jobId: 1));
        sub.Offer(Event(JobEventKind.Progress, jobId: 1, items: 1));
        sub.Offer(Event(JobEventKind.Started, jobId: 2));
        sub.Offer(Event(JobEventKind.Progress, jobId: 1, items: 2));
        sub.Offer(Event(JobEventKind.Progress, jobId: 1, items: 3));

        var read = Drain(sub);
        Assert.Equal(
            [(1L, JobEventKind.Started, 0L), (1L, JobEventKind.Progress, 3L), (2L, JobEventKind.Started, 0L)],
            read.Select(e => (e.JobId, e.Kind, e.Progress!.ItemsSucceeded)));
        Assert.Equal(2, sub.CoalescedCount);
    }

    [Fact]
    public void Progress_read_before_the_next_report_is_not_coalesced()
    {
        var sub = Subscription();
        sub.Offer(Event(JobEventKind.Progress, items: 1));
        Assert.True(sub.TryRead(out var first));
        sub.Offer(Event(JobEventKind.Progress, items: 2));
        Assert.True(sub.TryRead(out var second));
        Assert.Equal([1L, 2L], new[] { first.Progress!.ItemsSucceeded, second.Progress!.ItemsSucceeded });
        Assert.Equal(0, sub.CoalescedCount);
    }

    [Fact]
    public void A_terminal_event_after_progress_is_delivered_after_it()
    {
        var sub = Subscription();
        sub.Offer(Event(JobEventKind.Progress, items: 1));
        sub.Offer(Event(JobEventKind.Progress, items: 10));
        sub.Offer(Event(JobEventKind.Completed, items: 10));

        var read = Drain(sub);
        Assert.Equal([JobEventKind.Progress, JobEventKind.Completed], read.Select(e => e.Kind));
        Assert.Equal(10, read[0].Progress!.ItemsSucceeded);
    }

    [Fact]
    public void Falling_behind_past_capacity_ends_the_subscriber_instead_of_dropping_events()
    {
        var sub = Subscription(capacity: 3);
        for (var id = 1; id <= 5; id++)
        {
            sub.Offer(Event(JobEventKind.Created, jobId: id));
        }

        var read = new List<long>();
        var ex = Assert.Throws<SubscriberTooSlowException>(() =>
        {
            while (sub.TryRead(out var e))
            {
                read.Add(e.JobId);
            }
        });
        Assert.Equal([1L, 2L, 3L], read);
        Assert.Contains("3", ex.Message);
    }

    [Fact]
    public async Task ReadAllAsync_yields_what_was_buffered_then_throws_when_the_subscriber_fell_behind()
    {
        var sub = Subscription(capacity: 2);
        sub.Offer(Event(JobEventKind.Created, jobId: 1));
        sub.Offer(Event(JobEventKind.Created, jobId: 2));
        sub.Offer(Event(JobEventKind.Created, jobId: 3));

        var read = new List<long>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<SubscriberTooSlowException>(async () =>
        {
            await foreach (var e in sub.ReadAllAsync(cts.Token))
            {
                read.Add(e.JobId);
            }
        });
        Assert.Equal([1L, 2L], read);
    }

    [Fact]
    public async Task ReadAllAsync_wakes_up_for_a_later_event_and_ends_on_dispose()
    {
        var sub = Subscription();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reader = Task.Run(async () =>
        {
            var read = new List<JobEventKind>();
            await foreach (var e in sub.ReadAllAsync(cts.Token))
            {
                read.Add(e.Kind);
                if (e.Kind == JobEventKind.Completed)
                {
                    sub.Dispose();
                }
            }
            return read;
        });
        sub.Offer(Event(JobEventKind.Started));
        sub.Offer(Event(JobEventKind.Completed));

        var kinds = await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([JobEventKind.Started, JobEventKind.Completed], kinds);
        Assert.False(cts.IsCancellationRequested, "the reader should end by dispose, not by the safety timeout");
    }

    [Fact]
    public void Progress_never_counts_against_capacity()
    {
        var sub = Subscription(capacity: 1);
        sub.Offer(Event(JobEventKind.Created, jobId: 1));
        for (var id = 2; id <= 50; id++)
        {
            sub.Offer(Event(JobEventKind.Progress, jobId: id));
        }
        Assert.Equal(50, Drain(sub).Count);
    }
}
