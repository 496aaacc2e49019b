using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Progress;
using Jobwatch.Storage;

namespace Jobwatch.Monitoring;

public sealed class JobMonitor(IJobStore store, RunningJobs running, IJobEventStream stream, TimeProvider time, JobwatchEngineInfo engine) : IJobMonitor
{
    public const int MaxLimit = 1000;
    private static readonly JobState[] Started = [JobState.Active, JobState.Completed, JobState.Failed, JobState.Cancelled];

    public async Task<IReadOnlyList<JobView>> GetActiveAsync(CancellationToken ct = default)
    {
        var jobs = await ListAllAsync(new JobListParams { States = [JobState.Active], Limit = MaxLimit }, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return jobs.Select(j => View(Live(j), now)).ToArray();
    }

    public async Task<IReadOnlyList<JobView>> GetHistoryAsync(string? jobName = null, int limit = 20, CancellationToken ct = default)
    {
        CheckLimit(limit);
        var jobs = await store.JobListAsync(new JobListParams { Name = jobName, States = Started, Limit = limit }, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return jobs.Select(j => View(Live(j), now)).ToArray();
    }

    public async Task<IReadOnlyList<JobNameSummary>> GetSummaryAsync(CancellationToken ct = default)
    {
        var latest = await store.JobLatestPerNameAsync(ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return latest.Select(j => Summarize(Live(j), now)).OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
    }

    public async Task<JobDetail?> GetJobAsync(long id, CancellationToken ct = default)
    {
        var job = await store.JobGetAsync(id, ct).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }
        var timeline = await store.JobTimelineListAsync(id, ct).ConfigureAwait(false);
        return new JobDetail(View(Live(job), time.GetUtcNow()), timeline);
    }

    public async Task<StorageHealth> CheckStorageAsync(CancellationToken ct = default)
    {
        var started = time.GetTimestamp();
        try
        {
            // A primary-key lookup of an id that never exists: one round trip, no rows.
            await store.JobGetAsync(0, ct).ConfigureAwait(false);
            return new StorageHealth(store.Name, true, time.GetElapsedTime(started), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new StorageHealth(store.Name, false, time.GetElapsedTime(started), ex.GetBaseException().Message);
        }
    }

    public async Task<JobPage> SearchAsync(JobListParams query, CancellationToken ct = default)
    {
        CheckLimit(query.Limit);
        var jobs = await store.JobListAsync(query, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        JobListCursor? next = null;
        if (jobs.Count == query.Limit)
        {
            var last = jobs[^1];
            next = new JobListCursor(last.Id, query.Order == JobListOrder.RecentlyFinished ? last.FinishedAt : null);
        }
        return new JobPage(jobs.Select(j => View(Live(j), now)).ToArray(), next);
    }

    public async Task<IReadOnlyList<QueueStats>> GetQueuesAsync(CancellationToken ct = default)
    {
        var counts = await store.QueueCountsListAsync(new QueueCountsParams(time.GetUtcNow()), ct).ConfigureAwait(false);
        var workers = engine.Workers.ToDictionary(w => w.Queue, StringComparer.Ordinal);
        var known = counts.Select(c => c.Queue).ToHashSet(StringComparer.Ordinal);
        // A queue served here but with no jobs yet still shows up, with zeros.
        var all = counts.Concat(workers.Keys.Where(q => !known.Contains(q)).Select(q => new QueueCounts { Queue = q }));
        return all
            .Select(c => workers.TryGetValue(c.Queue, out var w) ? new QueueStats(c, w.Concurrency, w.Busy) : new QueueStats(c, null, null))
            .OrderBy(q => q.Queue, StringComparer.Ordinal)
            .ToArray();
    }

    public async Task<DeadLetterStats> GetDeadLetterStatsAsync(TimeSpan? recentWindow = null, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var since = now - (recentWindow ?? TimeSpan.FromHours(1));
        var counts = await store.DeadLetterCountsAsync(new DeadLetterCountsParams(now, since), ct).ConfigureAwait(false);
        return new DeadLetterStats(counts, since);
    }

    public async Task<IReadOnlyList<JobView>> GetDeadLetterRecentAsync(int limit = 20, CancellationToken ct = default)
    {
        CheckLimit(limit);
        var jobs = await store.JobListAsync(new JobListParams { States = [JobState.Failed], Order = JobListOrder.RecentlyFinished, Limit = limit }, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return jobs.Select(j => View(j, now)).ToArray();
    }

    public JobEventSubscription Subscribe(JobEventFilter? filter = null, int capacity = 10_000) => stream.Subscribe(filter, capacity);

    private async Task<IReadOnlyList<JobRecord>> ListAllAsync(JobListParams query, CancellationToken ct)
    {
        var all = new List<JobRecord>();
        while (true)
        {
            var page = await store.JobListAsync(query, ct).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < query.Limit)
            {
                return all;
            }
            query = query with { After = new JobListCursor(page[^1].Id) };
        }
    }

    /// <summary>Overlays the in-memory progress of a job running in this process (storage lags by the flush interval).</summary>
    private JobRecord Live(JobRecord job)
    {
        if (job.State != JobState.Active || !running.TryGet(job.Id, out var run) || run.Job.Attempt != job.Attempt)
        {
            return job;
        }
        var info = run.Tracker.Info();
        return job with
        {
            ReportedPercent = run.Tracker.Snapshot().Update.ReportedPercent,
            TotalItems = info.TotalItems,
            ItemsSucceeded = info.ItemsSucceeded,
            ItemsFailed = info.ItemsFailed,
            CustomProgress = info.CustomProgress,
            UpdatedBy = run.Tracker.UpdatedBy ?? job.UpdatedBy,
        };
    }

    internal static JobView View(JobRecord job, DateTimeOffset now)
    {
        double? elapsed = job.StartedAt is { } s ? Math.Max(0, ((job.FinishedAt ?? now) - s).TotalSeconds) : null;
        var elapsedSpan = TimeSpan.FromSeconds(elapsed ?? 0);
        var percent = ProgressMath.Percent(job.TotalItems, job.ItemsProcessed, job.ReportedPercent);
        if (percent is null && job.State == JobState.Completed)
        {
            percent = 100;
        }
        return new JobView(
            job,
            percent,
            ProgressMath.ItemsPerSecond(job.ItemsProcessed, elapsedSpan),
            elapsed is null ? null : Math.Round(elapsed.Value, 3),
            job.State == JobState.Active ? ProgressMath.EtaSeconds(job.TotalItems, job.ItemsProcessed, job.ReportedPercent, elapsedSpan) : null,
            job.FinishedAt is { } f && job.StartedAt is { } st ? Math.Round((f - st).TotalSeconds, 3) : null);
    }

    internal static JobNameSummary Summarize(JobRecord job, DateTimeOffset now)
    {
        var view = View(job, now);
        string? progress = job.TotalItems is > 0
            ? FormattableString.Invariant($"{job.ItemsProcessed}/{job.TotalItems} ({view.ProgressPercent:0.0}%)")
            : view.ProgressPercent is { } p && job.State == JobState.Active ? FormattableString.Invariant($"{p:0.0}%") : null;
        return new JobNameSummary(job.Name, job.Type, job.Id, job.StartedAt ?? job.CreatedAt, job.State, progress,
            view.DurationSeconds ?? (job.State == JobState.Active ? view.ElapsedSeconds : null), null);
    }

    private static void CheckLimit(int limit)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {MaxLimit}.");
        }
    }
}

/// <summary>What the monitor may know of this process's engine (its queue workers), without depending on the hosted service's lifetime.</summary>
public sealed class JobwatchEngineInfo(IServiceProvider services)
{
    public IReadOnlyList<QueueWorker> Workers =>
        (services.GetService(typeof(JobwatchEngine)) as JobwatchEngine)?.Workers ?? [];
}
