using Jobwatch.DependencyInjection;
using Jobwatch.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobwatch;

public static class QueueHealthServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="QueueHealthEvaluator"/> and its thresholds (configuration section <c>Jobwatch:Health</c>,
    /// validated at start-up). <c>AddJobwatch()</c> already calls this; call it again to change thresholds in code,
    /// which then win over configuration.
    /// </summary>
    public static IServiceCollection AddJobwatchQueueHealth(this IServiceCollection services, Action<QueueHealthOptions>? configure = null)
    {
        var options = services.AddOptions<QueueHealthOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<QueueHealthOptions>, QueueHealthConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueHealthOptions>, QueueHealthOptionsValidator>());
        services.TryAddSingleton<QueueHealthEvaluator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        return services;
    }

    /// <summary>Changes the queue-health thresholds in code, e.g. <c>.ConfigureQueueHealth(o => o.Queues["bulk"] = new() { BacklogUnhealthyAbove = 5000 })</c>.</summary>
    public static JobwatchBuilder ConfigureQueueHealth(this JobwatchBuilder builder, Action<QueueHealthOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddJobwatchQueueHealth(configure);
        return builder;
    }
}
