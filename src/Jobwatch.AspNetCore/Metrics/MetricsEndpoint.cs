using Jobwatch.AspNetCore.Auth;
using Jobwatch.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Metrics;

/// <summary>
/// <c>GET /metrics</c>: Prometheus text format 0.0.4. A read like the other monitoring endpoints (viewer
/// role): give Prometheus a viewer token (<c>authorization: { credentials: … }</c> in its scrape config).
/// The store-sampled gauges are refreshed first when older than <c>Jobwatch:Metrics:StoreSampleMaxAge</c>.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void Map(RouteGroupBuilder root) =>
        root.MapGet(Path, async (HttpContext http, StoreMetricsSampler sampler, PrometheusExporter exporter, CancellationToken ct) =>
        {
            await sampler.RefreshIfStaleAsync(ct);
            http.Response.ContentType = PrometheusText.ContentType;
            await exporter.WriteAsync(http.Response.BodyWriter, ct);
        })
        .RequireAuthorization(JobwatchPolicies.Read)
        .WithName("GetMetrics")
        .WithSummary("Prometheus metrics (text format 0.0.4)")
        .Produces<string>(HttpStatus.Status200OK, "text/plain");
}
