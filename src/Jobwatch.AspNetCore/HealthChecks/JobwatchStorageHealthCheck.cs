using System.Globalization;
using Jobwatch.Monitoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobwatch.AspNetCore.HealthChecks;

/// <summary>
/// Can this process reach its Jobwatch storage? One primary-key lookup (<see cref="IJobMonitor.CheckStorageAsync"/>),
/// the same probe as <c>GET /api/health</c>. A readiness check: without its storage a node can neither take nor run jobs.
/// </summary>
internal sealed class JobwatchStorageHealthCheck(IJobMonitor monitor) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var storage = await monitor.CheckStorageAsync(cancellationToken).ConfigureAwait(false);
        var ms = Math.Round(storage.ResponseTime.TotalMilliseconds, 3);
        var data = new Dictionary<string, object>
        {
            ["backend"] = storage.Backend,
            ["response_ms"] = ms,
        };
        if (storage.Up)
        {
            return HealthCheckResult.Healthy(
                string.Create(CultureInfo.InvariantCulture, $"The {storage.Backend} storage answered in {ms} ms."), data);
        }
        return new HealthCheckResult(context.Registration.FailureStatus,
            $"The {storage.Backend} storage does not answer: {storage.Error}", data: data);
    }
}
