using Jobwatch.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore;

public static class HealthProbeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the two probes an orchestrator asks (Kubernetes, a load balancer, Aspire), open to anyone:
    /// <c>{prefix}/live</c> runs no check (200 while the process serves requests; restart it otherwise) and
    /// <c>{prefix}/ready</c> runs the checks tagged <c>ready</c> (with <c>AddJobwatchStorage()</c>: can this node reach
    /// its storage), answering 503 when one fails. Both write the report as JSON. Kept apart from <c>MapJobwatch()</c>
    /// because an app usually owns its probe paths; call it only where Jobwatch's are wanted (the server does).
    /// </summary>
    public static IEndpointConventionBuilder MapJobwatchHealthProbes(this IEndpointRouteBuilder endpoints, string prefix = "/health")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        group.MapHealthChecks("/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthReportJson.WriteAsync,
        });
        group.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(JobwatchHealthChecksBuilderExtensions.ReadyTag),
            ResponseWriter = HealthReportJson.WriteAsync,
        });
        return group.AllowAnonymous().ExcludeFromDescription();
    }
}
