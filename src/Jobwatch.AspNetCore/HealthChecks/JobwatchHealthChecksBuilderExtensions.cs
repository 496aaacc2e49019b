using Jobwatch.AspNetCore.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobwatch.AspNetCore;

/// <summary>
/// Jobwatch's checks for ASP.NET Core health checks, in the shape of the community packages
/// (<c>services.AddHealthChecks().AddNpgSql(…)</c>): <c>services.AddHealthChecks().AddJobwatchStorage()</c>.
/// </summary>
public static class JobwatchHealthChecksBuilderExtensions
{
    /// <summary>Tag on the storage check, which <c>MapJobwatchHealthProbes()</c>'s readiness probe runs.</summary>
    public const string ReadyTag = "ready";

    public const string StorageCheckName = "jobwatch-storage";
    public const string QueuesCheckName = "jobwatch-queues";

    /// <summary>
    /// Adds a check that the Jobwatch storage answers (one primary-key lookup), tagged <c>jobwatch</c> and
    /// <see cref="ReadyTag"/> unless <paramref name="tags"/> are given. Needs <c>AddJobwatch()</c>.
    /// </summary>
    public static IHealthChecksBuilder AddJobwatchStorage(this IHealthChecksBuilder builder, string name = StorageCheckName,
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => ActivatorUtilities.CreateInstance<JobwatchStorageHealthCheck>(sp),
            failureStatus, tags ?? ["jobwatch", ReadyTag], timeout));
    }

    /// <summary>
    /// Adds a check that grades every queue (error rate, waiting time, stale leases, paused) against the queue
    /// health thresholds, tagged <c>jobwatch</c> and <c>queues</c> unless <paramref name="tags"/> are given. Not for
    /// readiness probes: it reports on the work, not on whether this node can serve.
    /// </summary>
    public static IHealthChecksBuilder AddJobwatchQueues(this IHealthChecksBuilder builder, string name = QueuesCheckName,
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => ActivatorUtilities.CreateInstance<JobwatchQueuesHealthCheck>(sp),
            failureStatus, tags ?? ["jobwatch", "queues"], timeout));
    }
}
