using System.Security.Claims;

namespace Jobwatch.AspNetCore.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>Who the audit trail and timelines name for this caller: "token-name (role)".</summary>
    public static string JobwatchActor(this ClaimsPrincipal user)
    {
        var name = user.Identity?.Name ?? "anonymous";
        var role = user.FindFirst(BearerTokenHandler.RoleClaim)?.Value?.ToLowerInvariant();
        return role is null ? name : $"{name} ({role})";
    }
}
