using Jobwatch.Events;
using Jobwatch.Health;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Jobwatch.UnitTests.Health;

/// <summary>What <see cref="QueueHealthEvaluator.EvaluateAsync"/> gathers from the monitor, and how it survives a failing store.</summary>
public class QueueHealthEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 15, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeMonitor _monitor = new();

    private QueueHealthEvaluator Evaluator(Action<QueueHealthOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddJobwatch();
        services.Replace(ServiceDescriptor.Singleton<IJobMonitor>(_monitor));
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(Now)));
        if (configure is not null)
        {
            services.AddJobwatchQueueHealth(configure);
        }
        return services.BuildServiceProvider().GetRequiredService<QueueHealthEvaluator>();
    }

    private static QueueStats Queue(string name, long failed = 0, long completed = 0) =>
        new(new QueueCounts { Queue = name, Failed = failed, Completed = completed }, 4, 0);

    private static JobView Job(long id, string queue, DateTimeOffset? leaseUntil = null, double? duration = null) =>
        new(TestData.Job(id, queue, Now.AddMinutes(-5)) with { LeaseUntil = leaseUntil }, null, null, null, null, duration);

    [Fact]
    public async Task The_worst_queue_decides_and_each_queue_uses_its_own_thresholds()
    {
        _monitor.Queues.AddRange([Queue("critical", failed: 6, completed: 1000), Queue("default", failed: 6, completed: 1000), Queue("quiet")]);
        var report = await Evaluator(o => o.Queues["critical"] = new() { FailedUnhealthyAbove = 10 }).EvaluateAsync();

        Assert.Equal(QueueHealthStatus.Unhealthy, report.Status);
        Assert.Equal(Now, report.EvaluatedAt);
        Assert.Equal(QueueHealthStatus.Degraded, report.Queues.Single(q => q.Queue == "critical").Status);
        Assert.Equal(QueueHealthStatus.Unhealthy, report.Queues.Single(q => q.Queue == "default").Status);
        Assert.Equal(QueueHealthStatus.Healthy, report.Queues.Single(q => q.Queue == "quiet").Status);
        Assert.Equal(["critical", "default"], report.Issues.Select(i => i.Queue));
    }

    [Fact]
    public async Task Active_jobs_with_an_expired_lease_count_as_stale_in_their_queue()
    {
        _monitor.Queues.AddRange([Queue("default"), Queue("other")]);
        _monitor.Active.AddRange([
            Job(1, "default", leaseUntil: Now.AddSeconds(-1)),
            Job(2, "default", leaseUntil: Now.AddSeconds(20)),
            Job(3, "other", leaseUntil: Now.AddSeconds(20)),
        ]);
        var report = await Evaluator().EvaluateAsync();

        var stale = report.Queues.Single(q => q.Queue == "default");
        Assert.Equal(1, stale.StaleJobs);
        Assert.Equal(QueueHealthStatus.Degraded, stale.Status);
        Assert.Equal(QueueHealthCheck.StaleJobs, Assert.Single(stale.Issues).Check);
        Assert.Equal(0, report.Queues.Single(q => q.Queue == "other").StaleJobs);
    }

    [Fact]
    public async Task The_average_run_time_is_over_the_queues_most_recently_finished_jobs()
    {
        _monitor.Queues.AddRange([Queue("default"), Queue("idle")]);
        _monitor.Finished["default"] = [Job(1, "default", duration: 1), Job(2, "default", duration: 3)];
        var report = await Evaluator().EvaluateAsync();

        Assert.Equal(TimeSpan.FromSeconds(2), report.Queues.Single(q => q.Queue == "default").AverageDuration);
        Assert.Null(report.Queues.Single(q => q.Queue == "idle").AverageDuration);
        var search = _monitor.Searches.Single(s => s.Queue == "default");
        Assert.Equal(JobListOrder.RecentlyFinished, search.Order);
        Assert.Equal([JobState.Completed, JobState.Failed], search.States);
        Assert.Equal(QueueHealthEvaluator.DurationSampleSize, search.Limit);
    }

    [Fact]
    public async Task An_unreachable_store_is_unhealthy_with_its_error_and_nothing_else_is_queried()
    {
        _monitor.Storage = new StorageHealth("postgres", false, TimeSpan.FromSeconds(5), "connection refused");
        var report = await Evaluator().EvaluateAsync();

        Assert.Equal(QueueHealthStatus.Unhealthy, report.Status);
        Assert.Empty(report.Queues);
        var issue = Assert.Single(report.Issues);
        Assert.Equal(QueueHealthCheck.Storage, issue.Check);
        Assert.Contains("postgres", issue.Message);
        Assert.Contains("connection refused", issue.Message);
        Assert.Equal(0, _monitor.QueueCalls);
    }

    [Fact]
    public async Task A_store_that_fails_a_query_after_answering_the_probe_is_reported_not_thrown()
    {
        _monitor.QueuesFailure = new InvalidOperationException("database is locked");
        var report = await Evaluator().EvaluateAsync();

        Assert.Equal(QueueHealthStatus.Unhealthy, report.Status);
        Assert.False(report.Storage.Up);
        Assert.Equal("database is locked", report.Storage.Error);
        Assert.Contains("database is locked", Assert.Single(report.Issues).Message);
    }

    [Fact]
    public async Task Cancellation_is_not_mistaken_for_a_failing_store()
    {
        using var cts = new CancellationTokenSource();
        _monitor.QueuesFailure = new OperationCanceledException(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Evaluator().EvaluateAsync(cts.Token));
    }

    private sealed class FakeMonitor : IJobMonitor
    {
        public StorageHealth Storage { get; set; } = new("fake", true, TimeSpan.FromMilliseconds(1), null);
        public List<QueueStats> Queues { get; } = [];
        public List<JobView> Active { get; } = [];
        public Dictionary<string, List<JobView>> Finished { get; } = [];
        public List<JobListParams> Searches { get; } = [];
        public Exception? QueuesFailure { get; set; }
        public int QueueCalls { get; private set; }

        public Task<StorageHealth> CheckStorageAsync(CancellationToken ct = default) => Task.FromResult(Storage);

        public Task<IReadOnlyList<QueueStats>> GetQueuesAsync(CancellationToken ct = default)
        {
            QueueCalls++;
            return QueuesFailure is { } ex ? Task.FromException<IReadOnlyList<QueueStats>>(ex) : Task.FromResult<IReadOnlyList<QueueStats>>(Queues);
        }

        public Task<IReadOnlyList<JobView>> GetActiveAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<JobView>>(Active);

        public Task<JobPage> SearchAsync(JobListParams query, CancellationToken ct = default)
        {
            Searches.Add(query);
            return Task.FromResult(new JobPage(Finished.GetValueOrDefault(query.Queue!) ?? [], null));
        }

        public Task<IReadOnlyList<JobView>> GetHistoryAsync(string? jobName = null, int limit = 20, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<JobNameSummary>> GetSummaryAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<JobDetail?> GetJobAsync(long id, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<DeadLetterStats> GetDeadLetterStatsAsync(TimeSpan? recentWindow = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<JobView>> GetDeadLetterRecentAsync(int limit = 20, CancellationToken ct = default) => throw new NotSupportedException();
        public JobEventSubscription Subscribe(JobEventFilter? filter = null, int capacity = 10_000) => throw new NotSupportedException();
    }
}
