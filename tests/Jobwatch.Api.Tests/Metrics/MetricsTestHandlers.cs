using Jobwatch.DependencyInjection;
using Jobwatch.Handlers;
using Jobwatch.StatusCodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobwatch.Api.Tests.Metrics;

public sealed record FlakyArgs(int Succeeded = 3, int Failed = 1);

/// <summary>Fails its first attempt with 429 (retryable); the second counts items, names its updater and completes.</summary>
public sealed class FlakyHandler : IJobHandler<FlakyArgs>
{
    public const string Name = "metrics_flaky";
    public const string Queue = "metrics";
    public const string UpdatedBy = "METRICS-UPDATER";

    public Task<JobResult> HandleAsync(FlakyArgs args, JobContext context, CancellationToken cancellationToken)
    {
        if (context.Attempt == 1)
        {
            throw new JobFailedException(JobStatusCodes.RateLimited, "slow down");
        }
        context.SetTotal(args.Succeeded + args.Failed);
        context.ItemSucceeded(args.Succeeded);
        context.ItemFailed(args.Failed);
        context.SetUpdatedBy(UpdatedBy);
        return Task.FromResult(JobResult.Success());
    }
}

public static class MetricsTestSetup
{
    /// <summary>The flaky handler, short backoff and rescue, and store gauges sampled on every scrape.</summary>
    public static void Apply(IServiceCollection services, Action<JobwatchOptions>? more = null)
    {
        services.TryAddScoped<FlakyHandler>();
        services.AddSingleton(new JobDefinition(FlakyHandler.Name, typeof(FlakyArgs), typeof(FlakyHandler), new JobHandlerOptions { Queue = FlakyHandler.Queue, MaxAttempts = 3 }));
        services.Configure<JobwatchOptions>(o =>
        {
            o.Backoff.Base = TimeSpan.FromMilliseconds(50);
            o.Backoff.Max = TimeSpan.FromMilliseconds(200);
            o.RescueInterval = TimeSpan.FromMilliseconds(100);
            o.Metrics.StoreSampleMaxAge = TimeSpan.Zero;
            more?.Invoke(o);
        });
    }
}
