using Microsoft.Data.Sqlite;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>Opens the store's connections with their pragmas applied.</summary>
internal sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private const int SqliteDbConfigEnableQpsg = 1007;

    public SqliteConnectionFactory(SqliteStoreOptions options)
    {
        Validate(options);

        // A bare path is accepted too: "data/jobwatch.db" reads better in configuration.
        var builder = options.ConnectionString.Contains('=')
            ? new SqliteConnectionStringBuilder(options.ConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = options.ConnectionString.Trim() };
        // The store keeps its own long-lived connections; with pooling on, disposing the store would
        // leave the file open inside Microsoft.Data.Sqlite's pool.
        builder.Pooling = false;
        EnsureFolderExists(builder);
        DatabasePath = FilePathOf(builder);
        _connectionString = builder.ToString();
        _busyTimeoutMs = (int)options.BusyTimeout.TotalMilliseconds;
    }

    /// <summary>Checks the options without touching the file system; messages name the option.</summary>
    public static void Validate(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException(
                $"{nameof(SqliteStoreOptions)}.{nameof(SqliteStoreOptions.ConnectionString)} is required, e.g. \"Data Source=data/jobwatch.db\".",
                nameof(options));
        }
        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"{nameof(SqliteStoreOptions)}.{nameof(SqliteStoreOptions.BusyTimeout)} must be positive; got {options.BusyTimeout}.");
        }
    }

    /// <summary>The database file's full path; null for an in-memory database or a file: URI.</summary>
    public string? DatabasePath { get; }

    public SqliteConnection OpenWriter() => Open(SqlCatalog.ConnectionWriterPragmas);

    public SqliteConnection OpenReader()
    {
        var connection = Open(SqlCatalog.ConnectionReaderPragmas);
        // Case-insensitive substring for texts LIKE cannot fold (it knows ASCII case only); see JobListFilters.sql.
        connection.CreateFunction<string?, string?, bool>(
            "jobwatch_contains",
            static (haystack, needle) => haystack is not null && needle is not null && haystack.Contains(needle, StringComparison.OrdinalIgnoreCase),
            isDeterministic: true);
        return connection;
    }

    private SqliteConnection Open(string pragmas)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            // Through the C API rather than "PRAGMA busy_timeout = N": no value is ever formatted into SQL.
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, _busyTimeoutMs);
            // Query-planner stability: without it SQLite re-plans the fetch on every call, because its
            // bound LIMIT is a value the planner looks at (measured: one re-prepare per fetch).
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, SqliteDbConfigEnableQpsg, 1, out int _);
            using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string? FilePathOf(SqliteConnectionStringBuilder builder)
    {
        var source = builder.DataSource;
        return builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source) || source == ":memory:"
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.GetFullPath(source);
    }

    private static void EnsureFolderExists(SqliteConnectionStringBuilder builder)
    {
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || builder.Mode == SqliteOpenMode.ReadOnly
            || string.IsNullOrEmpty(source) || source == ":memory:"
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
