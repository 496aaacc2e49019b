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
public sealed record ServerSettings(StorageSetting Storage, bool Demo, bool RunWorkers, LogFormat LogFormat, string? Schema = null);
