using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// Browsers' WebSocket and EventSource cannot send headers, so their token arrives as <c>access_token</c> in the query,
/// and ASP.NET Core's hosting layer logs every request URL with its query ("Request starting …", Information) before any
/// middleware runs. This server wrapper moves the token from the query of the hub and event-stream paths into the
/// <c>Authorization</c> header as each request is created, before anything logs it; nothing downstream ever sees it in a URL.
/// </summary>
internal sealed class QueryTokenRedactingServer(IServer inner) : IServer
{
    public IServer Inner => inner;
    public IFeatureCollection Features => inner.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
        inner.StartAsync(new Application<TContext>(application), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();

    /// <summary>Wraps the last <see cref="IServer"/> registered so far (the host's server); does nothing if there is none yet or it is wrapped already.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IServer) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }
        if (index < 0 || services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return;
        }
        var original = services[index];
        services.AddSingleton<Marker>();
        services[index] = ServiceDescriptor.Singleton<IServer>(sp =>
        {
            var server = (IServer)(original.ImplementationInstance
                ?? original.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
            // WebApplicationFactory casts the server to TestServer; in-memory test servers are left alone.
            return server.GetType().FullName == "Microsoft.AspNetCore.TestHost.TestServer" ? server : new QueryTokenRedactingServer(server);
        });
    }

    /// <summary>Moves <c>access_token</c> out of the query of a hub or event-stream request (the paths the bearer scheme reads it on).</summary>
    internal static void MoveQueryToken(IFeatureCollection features)
    {
        var request = features.Get<IHttpRequestFeature>();
        if (request is null || request.QueryString.Length == 0
            || request.QueryString.IndexOf("access_token", StringComparison.OrdinalIgnoreCase) < 0
            || !IsRealtimePath(request.Path))
        {
            return;
        }
        string? token = null;
        var kept = new StringBuilder();
        foreach (var pair in request.QueryString.TrimStart('?').Split('&'))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            if (string.Equals(name, "access_token", StringComparison.OrdinalIgnoreCase))
            {
                token ??= eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                continue;
            }
            if (pair.Length > 0)
            {
                kept.Append(kept.Length == 0 ? '?' : '&').Append(pair);
            }
        }
        var query = kept.ToString();
        request.QueryString = query;
        var mark = request.RawTarget.IndexOf('?', StringComparison.Ordinal);
        if (mark >= 0)
        {
            request.RawTarget = request.RawTarget[..mark] + query;
        }
        if (!string.IsNullOrEmpty(token) && !request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            request.Headers.Authorization = "Bearer " + token;
        }
    }

    private static bool IsRealtimePath(string path) =>
        path.EndsWith("/job-progress", StringComparison.Ordinal)
        || path.Contains("/job-progress/", StringComparison.Ordinal)
        || path.EndsWith("/api/v1/events", StringComparison.Ordinal);

    private sealed class Marker;

    private sealed class Application<TContext>(IHttpApplication<TContext> inner) : IHttpApplication<TContext> where TContext : notnull
    {
        public TContext CreateContext(IFeatureCollection contextFeatures)
        {
            MoveQueryToken(contextFeatures);
            return inner.CreateContext(contextFeatures);
        }

        public Task ProcessRequestAsync(TContext context) => inner.ProcessRequestAsync(context);

        public void DisposeContext(TContext context, Exception? exception) => inner.DisposeContext(context, exception);
    }
}
