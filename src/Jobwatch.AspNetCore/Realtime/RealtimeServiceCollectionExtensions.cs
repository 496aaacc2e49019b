using Jobwatch.AspNetCore.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore;

public static class RealtimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the job-progress hub and the event stream (called by <c>AddJobwatchApi</c>): SignalR, the event feed,
    /// options (section <c>Jobwatch:Api:Realtime</c>, validated at start-up), and the server wrapper that keeps
    /// query-string tokens out of request logs. Call after the web host's server is configured (as <c>AddJobwatchApi</c> is).
    /// </summary>
    public static IServiceCollection AddJobwatchRealtime(this IServiceCollection services, Action<JobwatchRealtimeOptions>? configure = null)
    {
        var options = services.AddOptions<JobwatchRealtimeOptions>().BindConfiguration(JobwatchRealtimeOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        if (services.Any(d => d.ServiceType == typeof(JobEventFeed)))
        {
            return services;
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobwatchRealtimeOptions>, JobwatchRealtimeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobEventFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<JobEventFeed>());
        services.AddSingleton<HubClientRegistry>();
        services.AddSingleton(sp => new JobwatchRealtimeStatistics(sp.GetRequiredService<JobEventFeed>()));
        services.AddSignalR().AddHubOptions<JobProgressHub>(hub =>
        {
            // Clients send only small subscription calls.
            hub.MaximumReceiveMessageSize = 4 * 1024;
            // Payloads go out pre-serialized as JSON (SerializedPayload), which only the JSON protocol can carry.
            hub.SupportedProtocols = ["json"];
            hub.EnableDetailedErrors = false;
        });
        QueryTokenRedactingServer.Decorate(services);
        return services;
    }
}
