namespace Jobwatch.Cli.Infrastructure;

/// <summary>
/// What <c>jobwatch</c> exits with, so scripts and cron can tell outcomes apart (docs/cli.md lists them).
/// 0–2 are the health grades; the others say what kind of failure it was. 64 is sysexits.h's EX_USAGE, kept apart
/// from the low numbers because those mean a health grade.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary><c>health</c> and <c>metrics health</c>: something needs attention, jobs still run.</summary>
    public const int Degraded = 1;
    /// <summary><c>health</c> and <c>metrics health</c>: storage down or a queue past its critical thresholds.</summary>
    public const int Unhealthy = 2;
    /// <summary>No job with that id, no queue with that name.</summary>
    public const int NotFound = 3;
    /// <summary>No token, a token the server does not know (401), or a role that may not do this (403).</summary>
    public const int AuthFailed = 4;
    /// <summary>The server refused the action as things stand (409), e.g. retrying a job that has not failed.</summary>
    public const int Conflict = 5;
    /// <summary>The server failed (5xx) or answered with something that is not Jobwatch's API.</summary>
    public const int ServerError = 6;
    /// <summary>The server could not be reached: connection refused, unknown host, no answer in time.</summary>
    public const int Unreachable = 7;
    /// <summary>Bad or missing arguments, or a value the server rejected as invalid (400).</summary>
    public const int Usage = 64;
    /// <summary>A bug in jobwatch itself (sysexits.h's EX_SOFTWARE): the message carries the stack; please report it.</summary>
    public const int InternalError = 70;
    /// <summary>Ctrl-C during a one-shot command (128 + SIGINT, as shells report it). <c>watch</c> ends with 0 on Ctrl-C.</summary>
    public const int Interrupted = 130;
}
