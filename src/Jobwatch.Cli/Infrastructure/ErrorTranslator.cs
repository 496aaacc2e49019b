using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Jobwatch.Client;

namespace Jobwatch.Cli.Infrastructure;

/// <summary>The role a command needs, named in 403 messages.</summary>
public enum RequiredRole
{
    /// <summary>Reading: viewer, operator or admin.</summary>
    Viewer,
    /// <summary>Acting on jobs and queues: operator or admin.</summary>
    Operator,
}

/// <summary>
/// Turns what went wrong talking to the server into one message saying what happened and what to do, and an exit
/// code from <see cref="ExitCodes"/>. Secrets are never echoed: only where the token came from.
/// </summary>
public static class ErrorTranslator
{
    /// <summary>Null for an exception that is not about the server or the input (a bug): let it surface with its stack.</summary>
    public static (int ExitCode, string Message)? Translate(Exception exception, ServerConnection server, RequiredRole role)
    {
        var at = server.Url.AbsoluteUri;
        switch (exception)
        {
            case CliException cli:
                return (cli.ExitCode, cli.Message);
            case JobwatchApiException api:
                return FromApi(api, server, role);
            case HttpRequestException http:
                return (ExitCodes.Unreachable,
                    $"Cannot reach the Jobwatch server at {at} ({Reason(http)}). Is it running there? The address comes from {server.UrlSource}; " +
                    $"point jobwatch at the server with --url or {ServerConnection.UrlVariable} (e.g. export {ServerConnection.UrlVariable}=http://jobs.internal:8080).");
            case TaskCanceledException or TimeoutException:
                return (ExitCodes.Unreachable,
                    $"The Jobwatch server at {at} did not answer within {ServerConnection.RequestTimeout.TotalSeconds:0} s. Check that it is up and not overloaded, and that {server.UrlSource} names the right server.");
            case JsonException or NotSupportedException:
                return (ExitCodes.ServerError,
                    $"{at} answered with something that is not the Jobwatch API ({exception.Message}). Check that {server.UrlSource} points at a Jobwatch server of a compatible version.");
            default:
                return null;
        }
    }

    private static (int, string) FromApi(JobwatchApiException api, ServerConnection server, RequiredRole role)
    {
        var at = server.Url.AbsoluteUri;
        var detail = api.Detail ?? api.Title;
        switch (api.Status)
        {
            case HttpStatusCode.Unauthorized when !server.HasToken:
                return (ExitCodes.AuthFailed,
                    $"The server at {at} needs a token: pass --token <secret> or set {ServerConnection.TokenVariable} to a secret from the server's JOBWATCH_TOKENS " +
                    $"({RoleNeeded(role)}). Server said: {detail}");
            case HttpStatusCode.Unauthorized:
                return (ExitCodes.AuthFailed,
                    $"The server at {at} did not accept the token from {server.TokenSource}: {detail} Check the secret against the server's JOBWATCH_TOKENS ({RoleNeeded(role)}).");
            case HttpStatusCode.Forbidden:
                return (ExitCodes.AuthFailed,
                    $"The token from {server.TokenSource ?? "the server's default"} may not do this: {RoleNeeded(role)}. Server said: {detail}");
            case HttpStatusCode.NotFound when api.Type is null:
                // Not a problem document: the route itself is missing, i.e. a server without this endpoint.
                return (ExitCodes.ServerError,
                    $"{at} has no such endpoint (404 without details). It may be an older Jobwatch version, or {server.UrlSource} may point at another service.");
            case HttpStatusCode.NotFound:
                return (ExitCodes.NotFound, detail);
            case HttpStatusCode.Conflict:
                return (ExitCodes.Conflict, detail);
            case HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity:
                return (ExitCodes.Usage, WithFieldErrors(detail, api.Errors));
            default:
                return (ExitCodes.ServerError, $"The server at {at} failed: {(int)api.Status} {api.Title}{(api.Detail is null ? "" : ": " + api.Detail)}");
        }
    }

    private static string RoleNeeded(RequiredRole role) => role switch
    {
        RequiredRole.Operator => "this command acts on jobs or queues and needs an operator or admin token; viewer tokens can only read",
        _ => "reading needs a viewer, operator or admin token",
    };

    private static string WithFieldErrors(string detail, IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count == 0)
        {
            return detail;
        }
        var sb = new StringBuilder(detail);
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                sb.AppendLine().Append("  ").Append(field).Append(": ").Append(message);
            }
        }
        return sb.ToString();
    }

    /// <summary>A short cause for a failed connection: "connection refused", "unknown host", …</summary>
    public static string Reason(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return "unknown host";
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return "connection timed out";
                case SocketException s:
                    return s.Message;
                case AuthenticationException:
                    return "TLS failed: " + e.Message;
                case TaskCanceledException or TimeoutException:
                    return "no answer in time";
            }
        }
        return exception.Message;
    }
}
