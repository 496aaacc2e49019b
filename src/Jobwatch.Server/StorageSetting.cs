namespace Jobwatch.Server;

public enum StorageKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The <c>--storage</c> / <c>JOBWATCH_STORAGE</c> value: <c>sqlite:PATH</c> or <c>postgres:&lt;connection string&gt;</c>.
/// Parsing never echoes what follows the scheme, because a mistyped scheme may precede a password.
/// </summary>
public sealed record StorageSetting(StorageKind Kind, string Value)
{
    public const string Default = "sqlite:data/jobwatch.db";
    public const string Usage = "Use sqlite:PATH (e.g. sqlite:data/jobwatch.db) or postgres:<connection string>.";

    public static bool TryParse(string? text, out StorageSetting? setting, out string? error)
    {
        setting = null;
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = $"The storage setting is empty. {Usage}";
            return false;
        }
        var colon = value.IndexOf(':');
        if (colon <= 0)
        {
            error = $"Storage '{Redact(value)}' has no scheme. {Usage}";
            return false;
        }
        var scheme = value[..colon].Trim().ToLowerInvariant();
        var rest = value[(colon + 1)..].Trim();
        StorageKind? kind = scheme switch
        {
            "sqlite" => StorageKind.Sqlite,
            "postgres" or "postgresql" => StorageKind.Postgres,
            _ => null,
        };
        if (kind is null)
        {
            error = $"Unknown storage '{value[..colon]}:…'. {Usage}";
            return false;
        }
        if (rest.Length == 0)
        {
            error = kind == StorageKind.Sqlite
                ? $"Storage 'sqlite:' needs a file path, e.g. {Default}."
                : "Storage 'postgres:' needs a connection string, e.g. postgres:Host=localhost;Database=jobwatch;Username=jobwatch.";
            return false;
        }
        setting = new StorageSetting(kind.Value, rest);
        return true;
    }

    /// <summary>Safe to log: the SQLite path, or only the scheme of a connection string.</summary>
    public override string ToString() => Kind == StorageKind.Sqlite ? $"sqlite:{Value}" : "postgres:…";

    // A value without a scheme may still be a connection string with a password in it.
    private static string Redact(string value) => value.Contains('=') || value.Contains(';') ? "…" : value;
}
