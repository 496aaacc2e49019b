namespace Jobwatch.Server;

public enum LogFormat
{
    /// <summary>One JSON object per line, for log shippers (the default when stdout is not a terminal).</summary>
    Json,
    /// <summary>Human-readable single lines (the default in a terminal).</summary>
    Text,
}

/// <summary>Everything the command line decides; <see cref="JobwatchServerSetup"/> turns it into services.</summary>
/// <param name="Schema">The PostgreSQL schema from <c>--schema</c>; null leaves it to configuration, then the default.</param>
/// <param name="Urls">Addresses from <c>--urls</c> (semicolon-separated, as in any ASP.NET Core app); null leaves them to configuration, then <see cref="ServerCommandLine.DefaultUrls"/>.</param>
/// <param name="AllowAnonymous">From <c>--allow-anonymous</c>: serve callers on any address without a token when none is configured.</param>
public sealed record ServerSettings(StorageSetting Storage, bool Demo, bool RunWorkers, LogFormat LogFormat, string? Schema = null, string? Urls = null, bool AllowAnonymous = false);
