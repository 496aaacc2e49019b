using Jobwatch.Handlers;

namespace Jobwatch.UnitTests.Handlers;

public sealed record SyncArgs(string Region);
public sealed record MailArgs(string To);

public sealed class SyncHandler : IJobHandler<SyncArgs>
{
    public Task<JobResult> HandleAsync(SyncArgs args, JobContext context, CancellationToken cancellationToken) => Task.FromResult(JobResult.Success());
}

public sealed class OtherSyncHandler : IJobHandler<SyncArgs>
{
    public Task<JobResult> HandleAsync(SyncArgs args, JobContext context, CancellationToken cancellationToken) => Task.FromResult(JobResult.Success());
}

internal static class Definitions
{
    public static JobDefinition Of<THandler, TArgs>(string name, Action<JobHandlerOptions>? configure = null)
    {
        var o = new JobHandlerOptions();
        configure?.Invoke(o);
        return new JobDefinition(name, typeof(TArgs), typeof(THandler), o);
    }
}
