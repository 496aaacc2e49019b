using Jobwatch.Health;
using Jobwatch.Monitoring;
using Jobwatch.Storage;

namespace Jobwatch.UnitTests.Health;

/// <summary>Seed 002's table, boundary by boundary: "0 / 1–5 / &gt;5", "&lt;5 % / 5–10 % / &gt;10 %", "&lt;10 / 10–50 / &gt;50".</summary>
public class QueueHealthGradingTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 15, 6, 0, 0, TimeSpan.Zero);

    /// <summary>Thresholds with only the check under test able to fire.</summary>
    private static readonly QueueHealthThresholds Quiet = QueueHealthThresholds.BuiltIn with
    {
        FailedDegradedAt = 1_000_000,
        FailedUnhealthyAbove = 1_000_000,
    };

    private static QueueHealthReport Grade(QueueCounts counts, QueueHealthThresholds? t = null, long stale = 0) =>
        QueueHealthEvaluator.Grade(new QueueHealthSample(new QueueStats(counts, 8, 0), stale), t ?? QueueHealthThresholds.BuiltIn, Now);

    private static QueueCounts Counts(long failed = 0, long completed = 0, long waiting = 0, bool paused = false, DateTimeOffset? oldestWaiting = null) =>
        new() { Queue = "critical", Failed = failed, Completed = completed, Waiting = waiting, Paused = paused, OldestWaitingSince = oldestWaiting };

    [Theory]
    [InlineData(0, QueueHealthStatus.Healthy)]
    [InlineData(1, QueueHealthStatus.Degraded)]
    [InlineData(5, QueueHealthStatus.Degraded)]
    [InlineData(6, QueueHealthStatus.Unhealthy)]
    public void Failed_jobs_grade_0_healthy_1_to_5_degraded_above_5_unhealthy(long failed, QueueHealthStatus expected)
    {
        // Plenty of completed jobs, so the error rate stays under 5 % and only the count decides.
        var report = Grade(Counts(failed: failed, completed: 10_000));
        Assert.Equal(expected, report.Status);
        Assert.Equal(expected == QueueHealthStatus.Healthy ? 0 : 1, report.Issues.Count(i => i.Check == QueueHealthCheck.FailedJobs));
    }

    [Theory]
    [InlineData(96, 4, QueueHealthStatus.Healthy)]
    [InlineData(95, 5, QueueHealthStatus.Degraded)]
    [InlineData(90, 10, QueueHealthStatus.Degraded)]
    [InlineData(89, 11, QueueHealthStatus.Unhealthy)]
    public void Error_rate_grades_under_5_healthy_5_to_10_degraded_above_10_unhealthy(long completed, long failed, QueueHealthStatus expected)
    {
        var report = Grade(Counts(failed: failed, completed: completed), Quiet);
        Assert.Equal(expected, report.Status);
        Assert.Equal((double)failed / (completed + failed), report.ErrorRate, 10);
    }

    [Fact]
    public void Error_rate_is_not_graded_before_the_minimum_number_of_jobs_finished()
    {
        var report = Grade(Counts(failed: 1, completed: 1), Quiet);
        Assert.Equal(QueueHealthStatus.Healthy, report.Status);
        Assert.Equal(0.5, report.ErrorRate);

        var graded = Grade(Counts(failed: 1, completed: 1), Quiet with { ErrorRateMinimumFinished = 2 });
        Assert.Equal(QueueHealthStatus.Unhealthy, graded.Status);
        Assert.Equal(QueueHealthCheck.ErrorRate, Assert.Single(graded.Issues).Check);
    }

    [Fact]
    public void Error_rate_is_zero_when_nothing_finished_and_excludes_nothing_else()
    {
        Assert.Equal(0, Grade(Counts()).ErrorRate);
        // Seed 003's example: 2 failed of 247 completed is 0.008.
        Assert.Equal(0.008, Math.Round(Grade(Counts(failed: 2, completed: 247)).ErrorRate, 3));
    }

    [Theory]
    [InlineData(9, QueueHealthStatus.Healthy)]
    [InlineData(10, QueueHealthStatus.Degraded)]
    [InlineData(50, QueueHealthStatus.Degraded)]
    [InlineData(51, QueueHealthStatus.Unhealthy)]
    public void Backlog_grades_under_10_healthy_10_to_50_degraded_above_50_unhealthy(long waiting, QueueHealthStatus expected) =>
        Assert.Equal(expected, Grade(Counts(waiting: waiting, oldestWaiting: Now)).Status);

    [Fact]
    public void A_job_waiting_ten_minutes_degrades_the_queue()
    {
        Assert.Equal(QueueHealthStatus.Healthy, Grade(Counts(waiting: 1, oldestWaiting: Now.AddMinutes(-10).AddSeconds(1))).Status);
        var report = Grade(Counts(waiting: 1, oldestWaiting: Now.AddMinutes(-10)));
        Assert.Equal(QueueHealthStatus.Degraded, report.Status);
        Assert.Equal(TimeSpan.FromMinutes(10), report.OldestWaiting);
        Assert.Contains("10m 0s", Assert.Single(report.Issues).Message);
    }

    [Theory]
    [InlineData(0, QueueHealthStatus.Healthy)]
    [InlineData(1, QueueHealthStatus.Degraded)]
    [InlineData(6, QueueHealthStatus.Unhealthy)]
    public void Stale_jobs_degrade_then_make_the_queue_unhealthy(long stale, QueueHealthStatus expected) =>
        Assert.Equal(expected, Grade(Counts(), stale: stale).Status);

    [Theory]
    [InlineData(QueueHealthStatus.Unhealthy)]
    [InlineData(QueueHealthStatus.Degraded)]
    public void A_paused_queue_takes_the_configured_status(QueueHealthStatus pausedStatus)
    {
        var report = Grade(Counts(paused: true), QueueHealthThresholds.BuiltIn with { PausedStatus = pausedStatus });
        Assert.Equal(pausedStatus, report.Status);
        Assert.Equal(QueueHealthCheck.Paused, Assert.Single(report.Issues).Check);
    }

    [Fact]
    public void A_paused_queue_can_be_declared_healthy()
    {
        var report = Grade(Counts(paused: true), QueueHealthThresholds.BuiltIn with { PausedStatus = QueueHealthStatus.Healthy });
        Assert.Equal(QueueHealthStatus.Healthy, report.Status);
        Assert.Empty(report.Issues);
    }

    [Fact]
    public void The_worst_issue_decides_and_every_issue_names_queue_figure_and_threshold()
    {
        var report = Grade(Counts(failed: 6, completed: 10_000, waiting: 10, oldestWaiting: Now));
        Assert.Equal(QueueHealthStatus.Unhealthy, report.Status);
        Assert.Equal(2, report.Issues.Count);
        var failed = report.Issues.Single(i => i.Check == QueueHealthCheck.FailedJobs);
        Assert.Equal(QueueHealthStatus.Unhealthy, failed.Severity);
        Assert.Equal("critical", failed.Queue);
        Assert.Equal(6, failed.Value);
        Assert.Equal(5, failed.Limit);
        Assert.Contains("'critical'", failed.Message);
        Assert.Contains("6 failed", failed.Message);
        Assert.Contains("unhealthy above 5", failed.Message);
        var backlog = report.Issues.Single(i => i.Check == QueueHealthCheck.Backlog);
        Assert.Equal(QueueHealthStatus.Degraded, backlog.Severity);
        Assert.Equal(10, backlog.Limit);
    }

    [Fact]
    public void An_empty_queue_is_healthy()
    {
        var report = Grade(Counts());
        Assert.Equal(QueueHealthStatus.Healthy, report.Status);
        Assert.Empty(report.Issues);
        Assert.Null(report.OldestWaiting);
    }
}
