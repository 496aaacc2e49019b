using Jobwatch.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobwatch.AspNetCore.HealthChecks;

/// <summary>
/// The queues graded against their thresholds (<see cref="QueueHealthEvaluator"/>, as <c>GET /api/v1/health/queues</c>):
/// a degraded queue makes the check <see cref="HealthStatus.Degraded"/>, an unhealthy one the registration's failure
/// status. Meant for dashboards and alerting, not for readiness: a paused or failing queue is no reason to take a node
/// out of a load balancer.
/// </summary>
internal sealed class JobwatchQueuesHealthCheck(QueueHealthEvaluator evaluator) : IHealthCheck
{
    /// <summary>Issues listed in the description; the rest are counted.</summary>
    private const int IssuesShown = 5;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await evaluator.EvaluateAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["queues"] = report.Queues.Count,
            ["degraded"] = report.Queues.Count(q => q.Status == QueueHealthStatus.Degraded),
            ["unhealthy"] = report.Queues.Count(q => q.Status == QueueHealthStatus.Unhealthy),
        };
        var status = report.Status switch
        {
            QueueHealthStatus.Healthy => HealthStatus.Healthy,
            QueueHealthStatus.Degraded => HealthStatus.Degraded,
            _ => context.Registration.FailureStatus,
        };
        return new HealthCheckResult(status, Describe(report), data: data);
    }

    private static string Describe(SystemHealthReport report)
    {
        if (report.Issues.Count == 0)
        {
            return $"{report.Queues.Count} queue(s), all healthy.";
        }
        var shown = report.Issues.Take(IssuesShown).Select(i => i.Message);
        var more = report.Issues.Count > IssuesShown ? $" (and {report.Issues.Count - IssuesShown} more)" : "";
        return $"{report.Status.ToName()}: {string.Join("; ", shown)}{more}";
    }
}
