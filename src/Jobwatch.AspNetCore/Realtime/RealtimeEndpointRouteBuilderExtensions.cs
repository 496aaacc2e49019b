using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Realtime;
using Jobwatch.Contracts.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwatch.AspNetCore;

public static class RealtimeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the job-progress hub at <c>/job-progress</c> (WebSockets, then Server-Sent Events, then long polling) and the
    /// event stream at <c>/api/v1/events</c>; both need a viewer (or higher) token and an allowed origin. Called by <c>MapJobwatch</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapJobwatchRealtime(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<JobEventFeed>() is null)
        {
            throw new InvalidOperationException("The Jobwatch realtime services are missing: call services.AddJobwatchApi() (or AddJobwatchRealtime()) before mapping.");
        }
        WarnIfTokensMayBeLogged(endpoints.ServiceProvider);
        endpoints.MapHub<JobProgressHub>(RealtimePaths.Hub, o =>
            {
                o.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .RequireAllowedOrigin();
        EventStreamEndpoint.Map(endpoints).RequireAllowedOrigin();
        return endpoints;
    }

    private static void WarnIfTokensMayBeLogged(IServiceProvider services)
    {
        var server = services.GetService<IServer>();
        if (server is null or QueryTokenRedactingServer || server.GetType().FullName == "Microsoft.AspNetCore.TestHost.TestServer")
        {
            return;
        }
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RealtimeEndpointRouteBuilderExtensions).FullName!).LogWarning(
            "The web server ({Server}) was registered after AddJobwatchApi, so access_token query parameters of browser hub and event-stream connections may appear in request logs. Call AddJobwatchApi after configuring the server.",
            server.GetType().Name);
    }
}
