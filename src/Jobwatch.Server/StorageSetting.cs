using System.Text.RegularExpressions;
using Npgsql;

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
public sealed partial record StorageSetting(StorageKind Kind, string Value)
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
        if (kind == StorageKind.Postgres && !IsConnectionString(rest, out error))
        {
            return false;
        }
        setting = new StorageSetting(kind.Value, rest);
        return true;
    }

    /// <summary>Safe to log: the SQLite path, or only the scheme of a connection string.</summary>
    public override string ToString() => Kind == StorageKind.Sqlite ? $"sqlite:{Value}" : "postgres:…";

    /// <summary>
    /// Safe to log, and useful: the SQLite path as given, or where a connection string points (host, port,
    /// database, user), never its password or any other key.
    /// </summary>
    public string Describe()
    {
        if (Kind == StorageKind.Sqlite)
        {
            return $"sqlite:{Value}";
        }
        var cs = new NpgsqlConnectionStringBuilder(Value);
        var shown = new NpgsqlConnectionStringBuilder { Host = cs.Host, Port = cs.Port, Database = cs.Database, Username = cs.Username };
        return $"postgres:{shown.ConnectionString}";
    }

    /// <summary>
    /// Npgsql's own parser, so a typo fails at the command line (exit 2) instead of at the first connection.
    /// Its messages name the key, never the value; the text is not echoed either way.
    /// </summary>
    private static bool IsConnectionString(string value, out string? error)
    {
        error = null;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                error = "The postgres connection string has no Host, e.g. postgres:Host=localhost;Database=jobwatch;Username=jobwatch.";
                return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            error = $"The postgres connection string is not valid ({KeyOnly(ex)}). Use Key=Value pairs separated by ';', e.g. postgres:Host=localhost;Database=jobwatch;Username=jobwatch.";
            return false;
        }
    }

    // Npgsql says "Couldn't set <key>" (lower-cased key, no value). A key is shown only when it looks like one:
    // in a mangled string, what parses as a key could be a piece of the password.
    private static string KeyOnly(Exception ex)
    {
        const string prefix = "Couldn't set ";
        var message = ex.Message.Split(" (Parameter")[0];
        return message.StartsWith(prefix, StringComparison.Ordinal) && KeyLike().IsMatch(message[prefix.Length..])
            ? $"unknown key or bad value for '{message[prefix.Length..]}'"
            : "it does not parse";
    }

    [GeneratedRegex("^[a-z ]{1,40}$")]
    private static partial Regex KeyLike();

    // A value without a scheme may still be a connection string with a password in it.
    private static string Redact(string value) => value.Contains('=') || value.Contains(';') ? "…" : value;
}
