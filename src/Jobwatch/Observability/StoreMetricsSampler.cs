using System.Diagnostics;
using Jobwatch.DependencyInjection;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Observability;

/// <summary>
/// Samples the gauges that come from storage (queue counts by state, oldest waiting age, dead-letter size,
/// paused flags, storage up and latency, last success per job name) through <see cref="IJobMonitor"/>, and
/// keeps the sample for <see cref="JobwatchMetricsOptions.StoreSampleMaxAge"/>. Only a reader triggers a
/// sample (no background load while nobody scrapes), one at a time however many readers ask.
/// </summary>
public sealed class StoreMetricsSampler : IDisposable
{
    private readonly IJobMonitor _monitor;
    private readonly JobwatchMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JobwatchMetricsOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _gate = new();
    // Job names whose last success was looked up once (their latest job was not a completed one).
    private readonly HashSet<string> _seeded = new(StringComparer.Ordinal);
    private StoreSample? _sample;
    private Task? _refresh;
    private long _refreshStarted;

    public StoreMetricsSampler(IJobMonitor monitor, JobwatchMetrics metrics, TimeProvider time, IOptions<JobwatchOptions> options, ILogger<StoreMetricsSampler> logger)
    {
        _monitor = monitor;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _options = options.Value.Metrics;
    }

    /// <summary>
    /// The latest sample, null before the first one. While a sample has been running longer than
    /// <see cref="JobwatchMetricsOptions.StoreSampleTimeout"/>, storage is reported down (a hung store must not look up).
    /// </summary>
    internal StoreSample? Current
    {
        get
        {
            StoreSample? sample;
            Task? refresh;
            long started;
            lock (_gate)
            {
                (sample, refresh, started) = (_sample, _refresh, _refreshStarted);
            }
            if (refresh is { IsCompleted: false } && _time.GetElapsedTime(started) is var running && running > _options.StoreSampleTimeout)
            {
                return new StoreSample(_time.GetUtcNow(), false, running.TotalSeconds, sample?.Queues ?? []);
            }
            return sample;
        }
    }

    /// <summary>Samples the store unless the current sample is fresh enough; waits at most <see cref="JobwatchMetricsOptions.StoreSampleTimeout"/>.</summary>
    public async Task RefreshIfStaleAsync(CancellationToken ct = default)
    {
        var refresh = StartIfStale();
        if (refresh is null)
        {
            return;
        }
        try
        {
            await refresh.WaitAsync(_options.StoreSampleTimeout, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Served from the previous sample; Current reports storage down meanwhile.
        }
    }

    /// <summary>For synchronous readers (observable instrument callbacks): starts a sample in the background when stale and returns the current one.</summary>
    internal StoreSample? CurrentRefreshingInBackground()
    {
        _ = StartIfStale();
        return Current;
    }

    private Task? StartIfStale()
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false })
            {
                return _refresh;
            }
            if (_sample is { } s && _time.GetUtcNow() - s.At < _options.StoreSampleMaxAge)
            {
                return null;
            }
            if (_disposed.IsCancellationRequested)
            {
                return null;
            }
            _refreshStarted = _time.GetTimestamp();
            return _refresh = Task.Run(() => SampleAsync(_disposed.Token));
        }
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        var health = await _monitor.CheckStorageAsync(ct).ConfigureAwait(false);
        var up = health.Up;
        IReadOnlyList<QueueSample> queues = [];
        if (up)
        {
            try
            {
                var now = _time.GetUtcNow();
                queues = Aggregate(await _monitor.GetQueuesAsync(ct).ConfigureAwait(false), now);
                await UpdateLastSuccessAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                up = false;
                _logger.LogWarning(ex, "Sampling queue metrics from storage failed");
            }
        }
        var sample = new StoreSample(_time.GetUtcNow(), up, health.ResponseTime.TotalSeconds, queues);
        lock (_gate)
        {
            _sample = sample;
        }
    }

    private IReadOnlyList<QueueSample> Aggregate(IReadOnlyList<QueueStats> stats, DateTimeOffset now)
    {
        var byLabel = new Dictionary<string, QueueSample>(StringComparer.Ordinal);
        foreach (var q in stats)
        {
            var c = q.Counts;
            var label = _metrics.Queues.Label(c.Queue);
            var age = c.OldestWaitingSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0;
            var sample = new QueueSample(label,
                Waiting: c.Paused ? 0 : c.Waiting, c.Active, c.Delayed, c.Completed, c.Failed, c.Cancelled,
                PausedJobs: c.Paused ? c.Waiting : 0, c.Paused, age);
            byLabel[label] = byLabel.TryGetValue(label, out var other) ? Merge(other, sample) : sample;
        }
        return byLabel.Values.ToArray();
    }

    private static QueueSample Merge(QueueSample a, QueueSample b) => new(a.Queue,
        a.Waiting + b.Waiting, a.Active + b.Active, a.Delayed + b.Delayed, a.Completed + b.Completed, a.Failed + b.Failed,
        a.Cancelled + b.Cancelled, a.PausedJobs + b.PausedJobs, a.Paused || b.Paused, Math.Max(a.OldestWaitingAgeSeconds, b.OldestWaitingAgeSeconds));

    /// <summary>
    /// The latest job of every name: a completed one gives its finish time. For a name whose latest job is
    /// something else (running, failed), its latest completed job is looked up once per process; after
    /// that this process's own completions and later samples keep the time current.
    /// </summary>
    private async Task UpdateLastSuccessAsync(CancellationToken ct)
    {
        foreach (var s in await _monitor.GetSummaryAsync(ct).ConfigureAwait(false))
        {
            var label = _metrics.JobNames.Label(s.Name);
            if (s.State == JobState.Completed && s.DurationSeconds is { } duration)
            {
                _metrics.LastSuccess.Update(label, s.LastRun + TimeSpan.FromSeconds(duration));
                _seeded.Add(s.Name);
                continue;
            }
            // Names past the cap share "other": not worth a query each.
            if (label == LabelCap.Other || !_seeded.Add(s.Name))
            {
                continue;
            }
            var page = await _monitor.SearchAsync(new JobListParams { Name = s.Name, States = [JobState.Completed], Limit = 1 }, ct).ConfigureAwait(false);
            if (page.Jobs is [{ Job.FinishedAt: { } finished }, ..])
            {
                _metrics.LastSuccess.Update(label, finished);
            }
        }
    }

    // Cancelled, not disposed: a sample still running may read the token.
    public void Dispose() => _disposed.Cancel();
}
