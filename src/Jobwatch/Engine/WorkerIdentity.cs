using Jobwatch.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwatch.Engine;

/// <summary>This process's identity in leases: stable for its lifetime, unique across restarts.</summary>
public sealed class WorkerIdentity(IOptions<JobwatchOptions> options)
{
    public string Id { get; } = options.Value.WorkerId
        ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
}
