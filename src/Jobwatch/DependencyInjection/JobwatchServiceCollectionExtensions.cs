using Jobwatch.Audit;
using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Monitoring;
using Jobwatch.Runs;
using Jobwatch.StatusCodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobwatch;

public static class JobwatchServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Jobwatch engine, client, monitor and run reporter. Chain a storage (<c>.UseSqlite(…)</c>)
    /// and handlers (<c>.AddHandler&lt;THandler, TArgs&gt;("name")</c>). Options are validated at start-up.
    /// </summary>
    public static JobwatchBuilder AddJobwatch(this IServiceCollection services, Action<JobwatchOptions>? configure = null)
    {
        var optionsBuilder = services.AddOptions<JobwatchOptions>().ValidateOnStart();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobwatchOptions>, JobwatchOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StatusCodeRegistry(sp.GetServices<StatusCodeDefinition>()));
        services.TryAddSingleton(sp => new JobDefinitionRegistry(sp.GetServices<JobDefinition>()));
        services.TryAddSingleton<WorkerIdentity>();
        services.TryAddSingleton<JobEventBus>();
        services.TryAddSingleton<IJobEventStream>(sp => sp.GetRequiredService<JobEventBus>());
        services.TryAddSingleton<IJobEventPublisher>(sp => sp.GetRequiredService<JobEventBus>());
        services.TryAddSingleton<IJobSignals, InProcessJobSignals>();
        services.TryAddSingleton<RunningJobs>();
        services.TryAddSingleton<ShutdownSignal>();
        services.TryAddSingleton<OutcomeWriter>();
        services.TryAddSingleton<ProgressFlusher>();
        services.TryAddSingleton<LeaseRenewer>();
        services.TryAddSingleton<LeaderElector>();
        services.TryAddSingleton<StalledJobRescuer>();
        services.TryAddSingleton<DueJobPromoter>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<JobwatchEngine>();
        services.TryAddSingleton<JobwatchEngineInfo>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobwatchEngine>(sp => sp.GetRequiredService<JobwatchEngine>()));

        services.TryAddSingleton<IAuditTrail, AuditTrail>();
        services.TryAddSingleton<IJobClient, JobClient>();
        services.TryAddSingleton<IJobMonitor, JobMonitor>();
        services.TryAddSingleton<IRunReporter, RunReporter>();
        services.AddJobwatchQueueHealth();
        return new JobwatchBuilder(services);
    }
}
