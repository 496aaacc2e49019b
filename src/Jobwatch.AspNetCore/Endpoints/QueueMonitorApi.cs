using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Http;
using Jobwatch.Contracts.QueueMonitor;
using Jobwatch.Monitoring;
using Jobwatch.StatusCodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary><c>GET /api/queue-monitor/stats</c>: seed 000's first troubleshooting step, "check if jobs are completing".</summary>
internal static class QueueMonitorApi
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/stats", async (IJobMonitor monitor, StatusCodeRegistry codes, TimeProvider time, CancellationToken ct) =>
            {
                var queues = await monitor.GetQueuesAsync(ct);
                var failed = await monitor.GetDeadLetterStatsAsync(ct: ct);
                var items = queues.Select(q => new QueueMonitorQueue(q.Queue, q.Counts.Paused, Counts(q), q.Counts.LastFinishedAt)).ToArray();
                var totals = new QueueMonitorCounts(
                    items.Sum(q => q.Counts.Waiting), items.Sum(q => q.Counts.Active), items.Sum(q => q.Counts.Completed),
                    items.Sum(q => q.Counts.Failed), items.Sum(q => q.Counts.Delayed), items.Sum(q => q.Counts.Cancelled));
                var body = new QueueMonitorStats(time.GetUtcNow(), items, totals, QueueHealthApi.ByStatusCode(failed.Counts.ByStatusCode, codes));
                return TypedResults.Json(body, ApiJson.ResponseOptions);
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetQueueMonitorStats")
            .WithSummary("Job counts per queue and failures by status code (seed 000).")
            .Produces<QueueMonitorStats>();

    private static QueueMonitorCounts Counts(QueueStats q) =>
        new(q.Counts.Waiting, q.Counts.Active, q.Counts.Completed, q.Counts.Failed, q.Counts.Delayed, q.Counts.Cancelled);
}
