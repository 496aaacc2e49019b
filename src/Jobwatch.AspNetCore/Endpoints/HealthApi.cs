using System.Reflection;
using Jobwatch.AspNetCore.Http;
using Jobwatch.Contracts.Health;
using Jobwatch.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary><c>GET /api/health</c> (seed 001's liveness check). Open to anyone: load balancers and <c>curl</c> probe it without a token, and it reveals nothing but up/down.</summary>
internal static class HealthApi
{
    private static readonly string Version = typeof(HealthApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void Map(RouteGroupBuilder root) =>
        root.MapGet("/api/health", async (IJobMonitor monitor, TimeProvider time, CancellationToken ct) =>
        {
            var storage = await monitor.CheckStorageAsync(ct);
            var body = new HealthResponse(storage.Up ? "healthy" : "unhealthy", time.GetUtcNow(), Version,
                new StorageHealthDto(storage.Backend, storage.Up ? "up" : "down", Math.Round(storage.ResponseTime.TotalMilliseconds, 3), storage.Error));
            return TypedResults.Json(body, ApiJson.ResponseOptions, statusCode: storage.Up ? HttpStatus.Status200OK : HttpStatus.Status503ServiceUnavailable);
        })
        .AllowAnonymous()
        .WithName("GetHealth")
        .Produces<HealthResponse>()
        .Produces<HealthResponse>(HttpStatus.Status503ServiceUnavailable);
}
