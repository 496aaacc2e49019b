using Jobwatch.Events;
using Jobwatch.Progress;
using Microsoft.Extensions.Time.Testing;

namespace Jobwatch.UnitTests.Progress;

public class ProgressTrackerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingPublisher _events = new();

    private ProgressTracker Tracker(TimeSpan? heartbeat = null) =>
        new(TestData.Job(startedAt: _time.GetUtcNow()), _events, _time, heartbeat);

    [Fact]
    public void Percent_rate_and_eta_come_from_counted_items()
    {
        var t = Tracker();
        t.SetTotal(100);
        t.ItemSucceeded(30);
        t.ItemFailed(10);
        _time.Advance(TimeSpan.FromSeconds(4));

        var info = t.Info();
        Assert.Equal(100, info.TotalItems);
        Assert.Equal(30, info.ItemsSucceeded);
        Assert.Equal(10, info.ItemsFailed);
        Assert.Equal(40, info.ItemsProcessed);
        Assert.Equal(40.0, info.Percent);
        Assert.Equal(10.0, info.ItemsPerSecond);
        Assert.Equal(6, info.EtaSeconds);
    }

    [Fact]
    public void Without_a_total_there_is_a_rate_but_no_percent_or_eta()
    {
        var t = Tracker();
        t.ItemSucceeded(50);
        _time.Advance(TimeSpan.FromSeconds(10));

        var info = t.Info();
        Assert.Null(info.Percent);
        Assert.Equal(5.0, info.ItemsPerSecond);
        Assert.Null(info.EtaSeconds);
    }

    [Fact]
    public void A_reported_percent_gives_percent_and_eta()
    {
        var t = Tracker();
        t.ReportPercent(25);
        _time.Advance(TimeSpan.FromSeconds(30));

        var info = t.Info();
        Assert.Equal(25.0, info.Percent);
        Assert.Equal(90, info.EtaSeconds);
        Assert.Null(info.ItemsPerSecond);
    }

    [Fact]
    public void More_items_than_the_total_clamp_at_100_percent()
    {
        var t = Tracker();
        t.SetTotal(10);
        t.ItemSucceeded(15);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(100.0, t.Info().Percent);
        Assert.Equal(0, t.Info().EtaSeconds);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.1)]
    [InlineData(double.NaN)]
    public void A_percent_outside_0_to_100_is_refused(double percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tracker().ReportPercent(percent));
    }

    [Fact]
    public void Negative_counts_are_refused()
    {
        var t = Tracker();
        Assert.Throws<ArgumentOutOfRangeException>(() => t.ItemSucceeded(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.ItemFailed(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.SetTotal(-1));
    }

    [Fact]
    public void Every_progress_report_is_published_at_once_with_the_current_figures()
    {
        var t = Tracker();
        t.SetTotal(4);
        _time.Advance(TimeSpan.FromSeconds(1));
        t.ItemSucceeded();
        t.ReportCustom(new { batch = 3, totalBatches = 5 });

        var events = _events.Events;
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(JobEventKind.Progress, e.Kind));
        Assert.Equal(25.0, events[1].Progress!.Percent);
        Assert.Equal(_time.GetUtcNow(), events[1].At);
        Assert.Equal("{\"batch\":3,\"totalBatches\":5}", events[2].Progress!.CustomProgress);
    }

    [Fact]
    public void UpdatedBy_and_heartbeats_dirty_the_tracker_without_publishing()
    {
        var t = Tracker();
        Assert.False(t.IsDirty);
        t.SetUpdatedBy("OSINT-CHARACTER-SYNC");
        Assert.True(t.IsDirty);
        Assert.Equal("OSINT-CHARACTER-SYNC", t.UpdatedBy);
        var (_, version) = t.Snapshot();
        t.MarkSaved(version);
        Assert.False(t.IsDirty);
        t.Heartbeat();
        Assert.True(t.IsDirty);
        Assert.Empty(_events.Events);
    }

    [Fact]
    public void A_snapshot_saved_late_does_not_hide_newer_reports()
    {
        var t = Tracker();
        t.ItemSucceeded();
        var (first, v1) = t.Snapshot();
        t.ItemSucceeded();
        var (_, v2) = t.Snapshot();
        t.MarkSaved(v2);
        t.MarkSaved(v1); // an older write finishing after a newer one must not roll the saved version back
        Assert.False(t.IsDirty);
        t.ItemSucceeded();
        Assert.True(t.IsDirty);
        Assert.Equal(1, first.ItemsSucceeded);
    }

    [Fact]
    public void An_external_runs_snapshot_extends_its_lease_from_the_last_report()
    {
        var t = Tracker(heartbeat: TimeSpan.FromSeconds(60));
        _time.Advance(TimeSpan.FromSeconds(5));
        t.ItemSucceeded();
        var (update, _) = t.Snapshot();
        Assert.Equal(_time.GetUtcNow(), update.At);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(60), update.LeaseUntil);
        Assert.Null(Tracker().Snapshot().Update.LeaseUntil);
    }

    [Fact]
    public void A_tracker_resumes_from_the_stored_counters()
    {
        var job = TestData.Job(startedAt: _time.GetUtcNow()) with { TotalItems = 10, ItemsSucceeded = 4, ItemsFailed = 1 };
        var t = new ProgressTracker(job, _events, _time);
        t.ItemSucceeded();
        Assert.Equal(60.0, t.Info().Percent);
    }
}
