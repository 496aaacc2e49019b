using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Http;
using Jobwatch.Contracts.StatusCodes;
using Jobwatch.StatusCodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary><c>GET /api/v1/status-codes</c>: the registry (built-in and application codes) with labels, classes and retryability.</summary>
internal static class StatusCodesApi
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("", (StatusCodeRegistry registry) =>
            TypedResults.Json(new StatusCodeList(registry.All.Select(ToDto).ToArray()), ApiJson.ResponseOptions))
        .RequireAuthorization(JobwatchPolicies.Read)
        .WithName("ListStatusCodes")
        .Produces<StatusCodeList>();

    public static StatusCodeDto ToDto(StatusCodeDefinition c) =>
        new(c.Code, c.Label, c.Description, c.Class.ToString().ToLowerInvariant(), c.Retryable, c.RegisteredBy);
}
