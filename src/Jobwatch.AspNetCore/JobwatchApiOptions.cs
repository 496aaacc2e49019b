using Jobwatch.AspNetCore.Auth;

namespace Jobwatch.AspNetCore;

/// <summary>Options of the HTTP surface; bound from configuration section <c>Jobwatch:Api</c>.</summary>
public sealed class JobwatchApiOptions
{
    public const string SectionName = "Jobwatch:Api";

    /// <summary>Bearer tokens and their roles. With none, only loopback callers are admitted (as admin), unless <see cref="AllowAnonymous"/>.</summary>
    public List<ApiToken> Tokens { get; set; } = [];

    /// <summary>Admits callers from any address without a token when no token is configured. Off by default: opt in knowingly.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Largest request body accepted (enqueue payloads, run reports); larger gets 413 before it is read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request body; deeper gets 400.</summary>
    public int MaxJsonDepth { get; set; } = 32;
}

