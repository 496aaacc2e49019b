namespace Jobwatch.Server;

public enum LogFormat
{
    /// <summary>One JSON object per line, for log shippers (the default when stdout is not a terminal).</summary>
    Json,
    /// <summary>Human-readable single lines (the default in a terminal).</summary>
    Text,
}

/// <summary>Everything the command line decides; <see cref="JobwatchServerSetup"/> turns it into services.</summary>
public sealed record ServerSettings(StorageSetting Storage, bool Demo, bool RunWorkers, LogFormat LogFormat);
