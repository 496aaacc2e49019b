using Jobwatch.Audit;
using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Monitoring;
using Jobwatch.Observability;
using Jobwatch.Runs;
using Jobwatch.StatusCodes;
using Jobwatch.Storage;
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
        services.TryAddSingleton<JobwatchMetrics>();
        services.TryAddSingleton(sp => new InstrumentedJobStore(sp.GetRequiredService<IJobStore>(), sp.GetRequiredService<JobwatchMetrics>()));
        services.TryAddSingleton<StoreMetricsSampler>();
        services.TryAddSingleton(WithInstrumentedStore<OutcomeWriter>);
        services.TryAddSingleton(WithInstrumentedStore<ProgressFlusher>);
        services.TryAddSingleton(WithInstrumentedStore<LeaseRenewer>);
        services.TryAddSingleton(WithInstrumentedStore<LeaderElector>);
        services.TryAddSingleton(WithInstrumentedStore<StalledJobRescuer>);
        services.TryAddSingleton(WithInstrumentedStore<DueJobPromoter>);
        services.TryAddSingleton(WithInstrumentedStore<DueJobAlarm>);
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton(WithInstrumentedStore<JobwatchEngine>);
        services.TryAddSingleton<JobwatchEngineInfo>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobwatchEngine>(sp => sp.GetRequiredService<JobwatchEngine>()));

        services.TryAddSingleton<IAuditTrail>(WithInstrumentedStore<AuditTrail>);
        services.TryAddSingleton<IJobClient>(WithInstrumentedStore<JobClient>);
        services.TryAddSingleton<IJobMonitor>(WithInstrumentedStore<JobMonitor>);
        services.TryAddSingleton<IRunReporter>(WithInstrumentedStore<RunReporter>);
        services.AddJobwatchQueueHealth();
        return new JobwatchBuilder(services);
    }

    /// <summary>
    /// Builds a core service around the timing decorator of whichever store <c>Use…()</c> registered. The
    /// store is registered after <c>AddJobwatch</c> (and replaces any before it), so it cannot be decorated in
    /// place; the services that take an <see cref="IJobStore"/> are given the decorator instead.
    /// </summary>
    private static T WithInstrumentedStore<T>(IServiceProvider sp) where T : class =>
        ActivatorUtilities.CreateInstance<T>(sp, sp.GetRequiredService<InstrumentedJobStore>());
}
