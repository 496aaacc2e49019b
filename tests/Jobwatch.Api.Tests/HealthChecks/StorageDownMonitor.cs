using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Monitoring;

namespace Jobwatch.Api.Tests.HealthChecks;

/// <summary>The real monitor, except that its storage probe answers as <see cref="JobMonitor.CheckStorageAsync"/> does for a database that refuses connections.</summary>
internal sealed class StorageDownMonitor(IJobMonitor inner) : DelegatingJobMonitor(inner)
{
    public const string Error = "Connection refused (127.0.0.1:5432)";

    public override async Task<StorageHealth> CheckStorageAsync(CancellationToken ct = default)
    {
        var real = await base.CheckStorageAsync(ct);
        return real with { Up = false, Error = Error };
    }
}
