using System.Collections.Concurrent;
using System.Reflection;
using Jobwatch.Engine;
using Jobwatch.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Jobwatch.UnitTests.Engine;

public sealed class DueJobAlarmTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Rings_when_the_time_comes_not_before_promoting_then_waking_the_queue()
    {
        var (alarm, time, store, woken) = Create();
        alarm.Schedule("mail", Start.AddSeconds(5));

        time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(50);
        Assert.Empty(store.Promotions);
        Assert.Empty(woken);

        time.Advance(TimeSpan.FromSeconds(0.1));
        await WaitUntilAsync(() => woken.Count == 1);
        Assert.Equal(["mail"], woken);
        var promotedAt = Assert.Single(store.Promotions);
        Assert.True(promotedAt >= Start.AddSeconds(5), $"promoted at {promotedAt:O}, before the job was due");
        Assert.Equal(0, alarm.Pending);
    }

    [Fact]
    public async Task An_earlier_time_rearms_the_timer_and_the_later_one_still_rings()
    {
        var (alarm, time, store, woken) = Create();
        alarm.Schedule("reports", Start.AddSeconds(10));
        alarm.Schedule("mail", Start.AddSeconds(2));

        time.Advance(TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => woken.Count == 1);
        Assert.Equal(["mail"], woken);

        time.Advance(TimeSpan.FromSeconds(7));
        await Task.Delay(50);
        Assert.Single(woken);

        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => woken.Count == 2);
        Assert.Equal(["mail", "reports"], woken);
        Assert.Equal(2, store.Promotions.Count);
    }

    [Fact]
    public async Task Queues_due_at_the_same_moment_ring_together_with_one_promotion()
    {
        var (alarm, time, store, woken) = Create();
        alarm.Schedule("a", Start.AddSeconds(1));
        alarm.Schedule("b", Start.AddSeconds(1));
        alarm.Schedule("a", Start.AddSeconds(1));

        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => woken.Count == 2);
        Assert.Equal(["a", "b"], woken.Order());
        Assert.Single(store.Promotions);
    }

    [Fact]
    public async Task Times_close_together_share_a_ring_so_a_retry_storm_does_not_flood_the_store()
    {
        var (alarm, time, store, woken) = Create();
        for (var i = 0; i < 10; i++)
        {
            alarm.Schedule("storm", Start.AddMilliseconds(100 + i)); // ten retries a millisecond apart
        }

        time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => store.Promotions.Count == 1);
        for (var i = 0; i < 9; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
        }
        await Task.Delay(50);
        Assert.Single(store.Promotions); // within the gap after the first ring

        time.Advance(DueJobAlarm.MinimumGap);
        await WaitUntilAsync(() => store.Promotions.Count == 2);
        await Task.Delay(50);
        Assert.Equal(2, store.Promotions.Count);
        Assert.Equal(0, alarm.Pending);
        Assert.All(woken, q => Assert.Equal("storm", q));
    }

    [Fact]
    public async Task A_time_months_ahead_is_accepted_and_rings_then()
    {
        var (alarm, time, store, woken) = Create();
        alarm.Schedule("yearly", Start.AddDays(100)); // beyond what a timer accepts at once (~49 days)

        time.Advance(TimeSpan.FromDays(99));
        await Task.Delay(50);
        Assert.Empty(woken);

        time.Advance(TimeSpan.FromDays(1));
        await WaitUntilAsync(() => woken.Count == 1);
        Assert.True(Assert.Single(store.Promotions) >= Start.AddDays(100));
    }

    [Fact]
    public async Task A_failed_promotion_still_wakes_the_workers_who_fetch_due_jobs_themselves()
    {
        var (alarm, time, store, woken) = Create();
        store.Fail = true;
        alarm.Schedule("mail", Start.AddMilliseconds(300));

        time.Advance(TimeSpan.FromMilliseconds(300));
        await WaitUntilAsync(() => woken.Count == 1);
        Assert.Equal(["mail"], woken);
    }

    [Fact]
    public void When_full_it_keeps_the_earliest_times_and_drops_later_ones()
    {
        var (alarm, _, _, _) = Create();
        for (var i = 0; i < DueJobAlarm.MaxPending; i++)
        {
            alarm.Schedule("bulk", Start.AddSeconds(10 + i));
        }
        alarm.Schedule("late", Start.AddDays(1));
        Assert.Equal(DueJobAlarm.MaxPending, alarm.Pending);

        alarm.Schedule("soon", Start.AddSeconds(1)); // evicts the latest bulk time
        Assert.Equal(DueJobAlarm.MaxPending, alarm.Pending);
    }

    [Fact]
    public async Task Nothing_rings_after_dispose()
    {
        var (alarm, time, store, woken) = Create();
        alarm.Schedule("mail", Start.AddSeconds(1));
        alarm.Dispose();

        time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(50);
        Assert.Empty(woken);
        Assert.Empty(store.Promotions);
        alarm.Schedule("mail", Start.AddSeconds(3)); // ignored, no throw
        Assert.Equal(0, alarm.Pending);
    }

    private static (DueJobAlarm Alarm, FakeTimeProvider Time, PromotionStore Store, ConcurrentQueue<string> Woken) Create()
    {
        var time = new FakeTimeProvider(Start);
        var store = DispatchProxy.Create<IJobStore, PromotionStore>();
        var signals = new InProcessJobSignals();
        var woken = new ConcurrentQueue<string>();
        signals.OnJobsAvailable(woken.Enqueue);
        var alarm = new DueJobAlarm(store, signals, time, NullLogger<DueJobAlarm>.Instance);
        return (alarm, time, (PromotionStore)(object)store, woken);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>An <see cref="IJobStore"/> that only promotes: records each promotion's time, or fails.</summary>
    public class PromotionStore : DispatchProxy
    {
        private readonly ConcurrentQueue<DateTimeOffset> _promotions = new();

        public bool Fail { get; set; }
        public IReadOnlyCollection<DateTimeOffset> Promotions => _promotions.ToArray();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IJobStore.JobPromoteDueAsync))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }
            if (Fail)
            {
                return Task.FromException<int>(new InvalidOperationException("the database is down"));
            }
            _promotions.Enqueue(((JobPromoteParams)args![0]!).Now);
            return Task.FromResult(0);
        }
    }
}
