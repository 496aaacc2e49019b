using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Jobwatch.AspNetCore.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore.Auth;

/// <summary>
/// Authenticates Jobwatch callers. With tokens configured, a request must carry one as
/// <c>Authorization: Bearer &lt;secret&gt;</c>. With none configured, callers on the loopback interface are
/// admitted as admin and everyone else is refused (unless anonymous access was opted into): a server left
/// without tokens can never be operated from the network, even if it is bound to a public address by mistake.
/// The presented secret is never logged or echoed.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenRegistry tokens,
    IOptions<JobwatchApiOptions> api) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "JobwatchBearer";
    public const string RoleClaim = "jobwatch:role";
    /// <summary>Query parameter accepted for WebSocket and EventSource clients, which cannot set headers.</summary>
    public const string AccessTokenQuery = "access_token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!tokens.Enabled)
        {
            var remote = Context.Connection.RemoteIpAddress;
            if (api.Value.AllowAnonymous || remote is null || IPAddress.IsLoopback(remote))
            {
                return Task.FromResult(Success("anonymous", JobwatchRole.Admin));
            }
            return Task.FromResult(AuthenticateResult.Fail(
                "No tokens are configured, so only callers on this machine (loopback) are admitted. Configure tokens (JOBWATCH_TOKENS=role:secret,… or Jobwatch:Api:Tokens) or opt in to anonymous access (Jobwatch:Api:AllowAnonymous=true)."));
        }
        var presented = Presented();
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        return Task.FromResult(tokens.Find(presented) is { } token
            ? Success(token.Name, token.Role)
            : AuthenticateResult.Fail("The bearer token is not valid."));
    }

    private string? Presented()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        // Browsers' WebSocket and EventSource cannot send headers; the hub and the event stream take the token in the query.
        var path = Request.Path.Value ?? "";
        if (path.EndsWith("/job-progress", StringComparison.Ordinal) || path.Contains("/job-progress/", StringComparison.Ordinal) || path.EndsWith("/api/v1/events", StringComparison.Ordinal))
        {
            var query = Request.Query[AccessTokenQuery].ToString();
            return query.Length > 0 ? query : null;
        }
        return null;
    }

    private AuthenticateResult Success(string name, JobwatchRole role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(RoleClaim, role.ToString())], SchemeName, ClaimTypes.Name, RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var detail = result.Failure?.Message
            ?? "Send a token as 'Authorization: Bearer <secret>'. Tokens are configured with JOBWATCH_TOKENS (role:secret,…) or Jobwatch:Api:Tokens.";
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await ApiProblems.Unauthorized(detail).ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirst(RoleClaim)?.Value ?? "none";
        return ApiProblems.Forbidden($"This endpoint needs a different role than '{role.ToLowerInvariant()}'. Reading takes viewer, operator or admin; acting on jobs and queues takes operator or admin; reporting runs takes reporter, operator or admin.")
            .ExecuteAsync(Context);
    }
}
