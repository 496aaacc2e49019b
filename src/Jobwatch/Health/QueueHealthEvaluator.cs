using System.Globalization;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.Extensions.Options;

namespace Jobwatch.Health;

/// <summary>
/// Grades queues against <see cref="QueueHealthOptions"/>. <see cref="Grade"/> is pure (counts in, report out) so
/// metrics and alert rules can grade the stats they already hold; <see cref="EvaluateAsync"/> gathers everything
/// from <see cref="IJobMonitor"/> for the health endpoint.
/// </summary>
public sealed class QueueHealthEvaluator(IJobMonitor monitor, IOptionsMonitor<QueueHealthOptions> options, TimeProvider time)
{
    /// <summary>How many of a queue's most recently finished jobs its average run time is taken over.</summary>
    public const int DurationSampleSize = 50;

    private static readonly JobState[] Finished = [JobState.Completed, JobState.Failed];

    public QueueHealthThresholds ThresholdsFor(string queue) => options.CurrentValue.For(queue);

    /// <summary>Never throws for an unreachable or failing store: that is graded unhealthy, with the store's error as the issue.</summary>
    public async Task<SystemHealthReport> EvaluateAsync(CancellationToken ct = default)
    {
        var storage = await monitor.CheckStorageAsync(ct).ConfigureAwait(false);
        if (!storage.Up)
        {
            return Unreachable(storage, time.GetUtcNow());
        }
        try
        {
            // Independent reads run at once: on a pooled store (PostgreSQL) each takes its own connection, so the
            // endpoint costs the slowest query instead of the sum of a dozen.
            var queuesRead = monitor.GetQueuesAsync(ct);
            var activeRead = monitor.GetActiveAsync(ct);
            var queues = await queuesRead.ConfigureAwait(false);
            var averages = await Task.WhenAll(queues.Select(q => AverageDurationAsync(q.Queue, ct))).ConfigureAwait(false);
            var active = await activeRead.ConfigureAwait(false);
            var now = time.GetUtcNow();
            var stale = active
                .Where(v => v.Job.LeaseUntil is { } lease && lease < now)
                .GroupBy(v => v.Job.Queue, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            var settings = options.CurrentValue;
            var reports = new List<QueueHealthReport>(queues.Count);
            for (var i = 0; i < queues.Count; i++)
            {
                var queue = queues[i];
                var sample = new QueueHealthSample(queue, stale.GetValueOrDefault(queue.Queue), averages[i]);
                reports.Add(Grade(sample, settings.For(queue.Queue), now));
            }
            var status = reports.Aggregate(QueueHealthStatus.Healthy, (worst, r) => QueueHealthStatusNames.Worst(worst, r.Status));
            return new SystemHealthReport(status, now, storage, reports, reports.SelectMany(r => r.Issues).ToArray());
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The store answered the probe but failed a real query (e.g. locked, or went away in between).
            return Unreachable(storage with { Up = false, Error = ex.GetBaseException().Message }, time.GetUtcNow());
        }
    }

    public static QueueHealthReport Grade(QueueHealthSample sample, QueueHealthThresholds t, DateTimeOffset now)
    {
        var c = sample.Stats.Counts;
        var q = c.Queue;
        var issues = new List<HealthIssue>();

        Count(issues, QueueHealthCheck.FailedJobs, q, c.Failed, t.FailedDegradedAt, t.FailedUnhealthyAbove,
            $"Queue '{q}' has {c.Failed} failed job(s) in its dead-letter queue", "inspect them, then retry or delete them");

        var finished = c.Completed + c.Failed;
        var errorRate = finished == 0 ? 0 : (double)c.Failed / finished;
        if (finished >= t.ErrorRateMinimumFinished)
        {
            var percent = errorRate * 100;
            var severity = percent > t.ErrorRateUnhealthyAbovePercent ? QueueHealthStatus.Unhealthy
                : percent >= t.ErrorRateDegradedAtPercent ? QueueHealthStatus.Degraded
                : QueueHealthStatus.Healthy;
            if (severity != QueueHealthStatus.Healthy)
            {
                issues.Add(new HealthIssue(QueueHealthCheck.ErrorRate, severity, q, Invariant(
                    $"Queue '{q}' has an error rate of {percent:0.##} % ({c.Failed} of {finished} finished jobs failed; degraded from {t.ErrorRateDegradedAtPercent} %, unhealthy above {t.ErrorRateUnhealthyAbovePercent} %)."),
                    percent, severity == QueueHealthStatus.Unhealthy ? t.ErrorRateUnhealthyAbovePercent : t.ErrorRateDegradedAtPercent));
            }
        }

        Count(issues, QueueHealthCheck.Backlog, q, c.Waiting, t.BacklogDegradedAt, t.BacklogUnhealthyAbove,
            $"Queue '{q}' has {c.Waiting} job(s) waiting", "add workers or raise the queue's concurrency");

        TimeSpan? oldest = c.OldestWaitingSince is { } since ? (now - since < TimeSpan.Zero ? TimeSpan.Zero : now - since) : null;
        if (oldest >= t.WaitingDegradedAfter)
        {
            issues.Add(new HealthIssue(QueueHealthCheck.WaitingTime, QueueHealthStatus.Degraded, q,
                $"Queue '{q}': its oldest due job has waited {Describe(oldest.Value)} (degraded after {Describe(t.WaitingDegradedAfter)}); check that a worker serves this queue.",
                oldest.Value.TotalSeconds, t.WaitingDegradedAfter.TotalSeconds));
        }

        Count(issues, QueueHealthCheck.StaleJobs, q, sample.StaleJobs, t.StaleDegradedAt, t.StaleUnhealthyAbove,
            $"Queue '{q}' has {sample.StaleJobs} active job(s) whose lease expired", "their worker stopped renewing it; the rescuer returns them to waiting");

        if (c.Paused && t.PausedStatus != QueueHealthStatus.Healthy)
        {
            issues.Add(new HealthIssue(QueueHealthCheck.Paused, t.PausedStatus, q,
                $"Queue '{q}' is paused: its jobs are not processed until it is resumed.", 1, null));
        }

        var status = issues.Aggregate(QueueHealthStatus.Healthy, (worst, i) => QueueHealthStatusNames.Worst(worst, i.Severity));
        return new QueueHealthReport(sample.Stats, status, t, errorRate, sample.StaleJobs, oldest, sample.AverageDuration, issues);
    }

    private async Task<TimeSpan?> AverageDurationAsync(string queue, CancellationToken ct)
    {
        var page = await monitor.SearchAsync(new JobListParams
        {
            Queue = queue,
            States = Finished,
            Order = JobListOrder.RecentlyFinished,
            Limit = DurationSampleSize,
        }, ct).ConfigureAwait(false);
        var durations = page.Jobs.Select(j => j.DurationSeconds).OfType<double>().ToArray();
        return durations.Length == 0 ? null : TimeSpan.FromSeconds(durations.Average());
    }

    private static SystemHealthReport Unreachable(StorageHealth storage, DateTimeOffset now)
    {
        var issue = new HealthIssue(QueueHealthCheck.Storage, QueueHealthStatus.Unhealthy, null,
            $"Storage '{storage.Backend}' did not answer: {storage.Error ?? "unknown error"}. Queues cannot be graded until it does.", 1, null);
        return new SystemHealthReport(QueueHealthStatus.Unhealthy, now, storage, [], [issue]);
    }

    /// <summary>Degraded from <paramref name="degradedAt"/>, unhealthy above <paramref name="unhealthyAbove"/>.</summary>
    private static void Count(List<HealthIssue> issues, QueueHealthCheck check, string queue, long value, long degradedAt, long unhealthyAbove, string what, string advice)
    {
        var severity = value > unhealthyAbove ? QueueHealthStatus.Unhealthy
            : value >= degradedAt ? QueueHealthStatus.Degraded
            : QueueHealthStatus.Healthy;
        if (severity == QueueHealthStatus.Healthy)
        {
            return;
        }
        issues.Add(new HealthIssue(check, severity, queue,
            Invariant($"{what} (degraded from {degradedAt}, unhealthy above {unhealthyAbove}); {advice}."),
            value, severity == QueueHealthStatus.Unhealthy ? unhealthyAbove : degradedAt));
    }

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 ? Invariant($"{(int)span.TotalHours}h {span.Minutes}m")
        : span.TotalMinutes >= 1 ? Invariant($"{(int)span.TotalMinutes}m {span.Seconds}s")
        : Invariant($"{span.TotalSeconds:0}s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
