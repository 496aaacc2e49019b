using Jobwatch.AspNetCore.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// Browsers send <c>Origin</c> on WebSocket upgrades and cross-origin requests, and neither WebSockets nor EventSource
/// are stopped by the same-origin policy, so a page on another site could otherwise read the live events with a token the
/// user pasted or a cookie-free query token. Requests from the server's own origin or a configured one pass; requests
/// without <c>Origin</c> (curl, .NET, other non-browser clients) pass.
/// </summary>
internal static class OriginCheck
{
    public static TBuilder RequireAllowedOrigin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        // Finally: route handlers get their request delegate after the ordinary conventions run.
        builder.Finally(endpoint =>
        {
            var next = endpoint.RequestDelegate ?? throw new InvalidOperationException($"Endpoint '{endpoint.DisplayName}' has no request delegate to guard.");
            endpoint.RequestDelegate = http => IsAllowed(http) ? next(http) : Reject(http);
        });
        return builder;
    }

    public static bool IsAllowed(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        var normalized = Normalize(origin);
        if (normalized is not null && normalized == Normalize($"{http.Request.Scheme}://{http.Request.Host}"))
        {
            return true;
        }
        var allowed = http.RequestServices.GetRequiredService<IOptions<JobwatchRealtimeOptions>>().Value.AllowedOrigins;
        return allowed.Any(a => a == "*" || (normalized is not null && Normalize(a) == normalized));
    }

    /// <summary>scheme://host[:port] in lower case with the default port left out, or null when it is not an origin.</summary>
    public static string? Normalize(string origin)
    {
        if (!Uri.TryCreate(origin.TrimEnd('/'), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }
        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }

    private static Task Reject(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        var shown = origin.Length <= 100 ? origin : origin[..100] + "…";
        return ApiProblems.Create(HttpStatus.Status403Forbidden, "origin-not-allowed", "This web origin may not receive live job events.",
                $"Pages from '{shown}' may not connect to the live job events. Serve the page from this server, or add the origin to {JobwatchRealtimeOptions.SectionName}:AllowedOrigins.")
            .ExecuteAsync(http);
    }
}
