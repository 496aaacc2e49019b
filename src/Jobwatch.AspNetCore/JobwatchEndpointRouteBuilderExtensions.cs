using Jobwatch.AspNetCore.Endpoints;
using Jobwatch.AspNetCore.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore;

public static class JobwatchEndpointRouteBuilderExtensions
{
    public const string OpenApiDocumentName = "jobwatch";

    /// <summary>
    /// Maps the Jobwatch HTTP surface at the app's root: the seed-compatible monitoring endpoints
    /// (<c>/api/monitoring/…</c>, <c>/api/health</c>, <c>/api/queue-monitor/stats</c>), Prometheus metrics at <c>/metrics</c>, the API under
    /// <c>/api/v1</c>, and the OpenAPI document at <c>/api/v1/openapi/jobwatch.json</c>. Every endpoint requires a Jobwatch policy.
    /// </summary>
    public static RouteGroupBuilder MapJobwatch(this IEndpointRouteBuilder endpoints)
    {
        var root = endpoints.MapGroup("").WithTags("Jobwatch").WithGroupName(OpenApiDocumentName);
        HealthApi.Map(root);
        MonitoringApi.Map(root.MapGroup("/api/monitoring"));
        QueueMonitorApi.Map(root.MapGroup("/api/queue-monitor"));
        MetricsEndpoint.Map(root);

        var v1 = root.MapGroup("/api/v1");
        QueueHealthApi.Map(v1);
        JobsApi.Map(v1.MapGroup("/jobs"));
        QueuesApi.Map(v1.MapGroup("/queues"));
        StatusCodesApi.Map(v1.MapGroup("/status-codes"));
        RunsApi.Map(v1.MapGroup("/runs"));
        AuditApi.Map(v1.MapGroup("/audit"));
        root.MapJobwatchRealtime();
        endpoints.MapOpenApi("/api/v1/openapi/{documentName}.json").AllowAnonymous();
        return root;
    }
}
