using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Http;
using Jobwatch.Contracts.QueueHealth;
using Jobwatch.Contracts.QueueMonitor;
using Jobwatch.Health;
using Jobwatch.Monitoring;
using Jobwatch.StatusCodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary>
/// Seed 003's endpoints in its camelCase: <c>/api/v1/health/queues</c> and the dead-letter queue's
/// <c>/api/v1/jobs/failed/stats</c> and <c>/recent</c>. Mapped on the v1 group with full paths because
/// <c>/api/v1/jobs</c> also belongs to JobsApi; literal segments win over its <c>{id:long}</c> routes.
/// </summary>
internal static class QueueHealthApi
{
    private static readonly TimeSpan RecentWindow = TimeSpan.FromHours(1);

    public const int DefaultRecentLimit = 20;
    public const int MaxRecentLimit = 100;

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/health/queues", async (QueueHealthEvaluator evaluator, CancellationToken ct) =>
            {
                var report = await evaluator.EvaluateAsync(ct);
                var status = report.Status == QueueHealthStatus.Unhealthy ? HttpStatus.Status503ServiceUnavailable : HttpStatus.Status200OK;
                return TypedResults.Json(ToResponse(report), ApiJson.ResponseOptions, statusCode: status);
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetQueueHealth")
            .WithSummary("Storage and per-queue health graded healthy/degraded/unhealthy (seed 003); 503 when unhealthy.")
            .Produces<QueueHealthResponse>()
            .Produces<QueueHealthResponse>(HttpStatus.Status503ServiceUnavailable);

        // Reported as configured, not recomputed from two clock readings that may straddle a second.
        v1.MapGet("/jobs/failed/stats", async (IJobMonitor monitor, StatusCodeRegistry codes, TimeProvider time, CancellationToken ct) =>
            {
                var stats = await monitor.GetDeadLetterStatsAsync(RecentWindow, ct);
                var queues = await monitor.GetQueuesAsync(ct);
                var c = stats.Counts;
                var now = time.GetUtcNow();
                var body = new FailedJobStats(
                    now, c.Total, c.Recent, (long)RecentWindow.TotalSeconds,
                    new SortedDictionary<string, long>(c.ByQueue.ToDictionary(), StringComparer.Ordinal),
                    new SortedDictionary<string, long>(c.ByName.ToDictionary(), StringComparer.Ordinal),
                    ByStatusCode(c.ByStatusCode, codes),
                    c.OldestFailedAt, c.NewestFailedAt,
                    queues.Select(q => q.Queue).ToArray());
                return TypedResults.Json(body, ApiJson.ResponseOptions);
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetFailedJobStats")
            .WithSummary("Dead-letter queue statistics and the monitored queues (seed 003).")
            .Produces<FailedJobStats>();

        v1.MapGet("/jobs/failed/recent", async (HttpRequest request, IJobMonitor monitor, CancellationToken ct) =>
            {
                if (!MonitoringApi.TryReadLimit(request, "limit", DefaultRecentLimit, MaxRecentLimit, out var limit, out var problem))
                {
                    return problem;
                }
                var jobs = await monitor.GetDeadLetterRecentAsync(limit, ct);
                var items = jobs.Select(ToFailedJob).ToArray();
                return TypedResults.Json(new FailedJobList(items, items.Length), ApiJson.ResponseOptions);
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetRecentFailedJobs")
            .WithSummary("The most recently failed jobs first; ?limit= is 1–100 (default 20).")
            .Produces<FailedJobList>()
            .ProducesProblem(HttpStatus.Status400BadRequest);
    }

    internal static IReadOnlyList<StatusCodeCount> ByStatusCode(IReadOnlyDictionary<int, long> counts, StatusCodeRegistry codes) =>
        counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key)
            .Select(kv => new StatusCodeCount(kv.Key, Label(kv.Key, codes), kv.Value))
            .ToArray();

    private static string Label(int code, StatusCodeRegistry codes)
    {
        try
        {
            return codes.Get(code).Label;
        }
        catch (ArgumentOutOfRangeException)
        {
            // Written by something other than this version (codes are 100–599); show it rather than fail the whole answer.
            return $"UNKNOWN_{code}";
        }
    }

    private static FailedJob ToFailedJob(JobView view)
    {
        var j = view.Job;
        return new FailedJob(
            j.Id, j.Queue, j.Name, j.Type, j.StatusCode, j.StatusLabel, j.LastError, j.LastErrorStack,
            j.Attempt, j.MaxAttempts, j.CreatedAt, j.FinishedAt, j.CreatedBy, j.UpdatedBy,
            MonitoringApi.Json(j.Payload)!.Value, MonitoringApi.Json(j.Metadata));
    }

    private static QueueHealthResponse ToResponse(SystemHealthReport report)
    {
        var s = report.Storage;
        var storageIssues = report.Issues.Where(i => i.Check == QueueHealthCheck.Storage).Select(i => i.Message).ToArray();
        var storage = new StorageHealthDetails(
            s.Backend, s.Up ? "healthy" : "unhealthy", s.Up ? "connected" : "disconnected",
            Math.Round(s.ResponseTime.TotalMilliseconds, 3), s.Error, storageIssues);
        var queues = report.Queues.Select(ToEntry).ToArray();
        var totals = new QueueHealthTotals(
            queues.Sum(q => q.Stats.Waiting), queues.Sum(q => q.Stats.Active), queues.Sum(q => q.Stats.Completed), queues.Sum(q => q.Stats.Failed));
        var summary = new QueueHealthSummary(
            queues.Length,
            report.Queues.Count(q => q.Status == QueueHealthStatus.Healthy),
            report.Queues.Count(q => q.Status == QueueHealthStatus.Degraded),
            report.Queues.Count(q => q.Status == QueueHealthStatus.Unhealthy),
            totals);
        return new QueueHealthResponse(report.Status.ToName(), report.EvaluatedAt, storage, queues, summary, report.Issues.Select(i => i.Message).ToArray());
    }

    private static QueueHealthEntry ToEntry(QueueHealthReport r)
    {
        var c = r.Stats.Counts;
        // BullMQ moves a paused queue's waiting jobs to "paused"; seed 003's counts mean that.
        var stats = new QueueJobStats(c.Paused ? 0 : c.Waiting, c.Active, c.Completed, c.Failed, c.Delayed, c.Paused ? c.Waiting : 0);
        var details = new QueueHealthDetails(
            IsRunning: r.Stats.Concurrency is not null && !c.Paused,
            IsPaused: c.Paused,
            ProcessingCapacity: r.Stats.Concurrency,
            AvgProcessingTime: r.AverageDuration is { } avg ? (long)Math.Round(avg.TotalMilliseconds) : null,
            ErrorRate: Math.Round(r.ErrorRate, 4),
            LastJobProcessed: c.LastFinishedAt,
            StaleJobs: r.StaleJobs,
            OldestWaitingSeconds: r.OldestWaiting is { } w ? (long)Math.Floor(w.TotalSeconds) : null);
        return new QueueHealthEntry(r.Queue, r.Status.ToName(), stats, details, r.Issues.Select(i => i.Message).ToArray());
    }
}
