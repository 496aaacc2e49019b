using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Jobwatch.Storage.Postgres.Internal;

/// <summary>
/// Validates <see cref="PostgresStoreOptions"/> and derives everything the store and its listener
/// need from them: the connection strings (search_path set to the schema, so SQL stays unqualified and
/// no name is ever formatted into it), the migration lock key, and the NOTIFY channel names.
/// </summary>
internal sealed partial class PostgresConnectionFactory
{
    private const int MaxIdentifierBytes = 63;

    public PostgresConnectionFactory(PostgresStoreOptions options)
    {
        Validate(options);
        Schema = options.Schema;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { SearchPath = Schema };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "jobwatch";
        }
        // The hot statements are few and always the same text: preparing them once per connection
        // saves the parse and plan of every fetch, finish and insert.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        // Store statements leave no session state behind (no SET, temp table, LISTEN or session lock),
        // so a connection going back to the pool needs no reset, which would cost every command a
        // pipelined RESET ALL / CLOSE ALL / UNLISTEN * … on the server.
        builder.NoResetOnClose = true;
        ConnectionString = builder.ConnectionString;

        // The listener holds one connection for the process's lifetime, outside any pool, and sends a
        // keep-alive while it waits, so a dead server or a dropped NAT entry is noticed.
        var listen = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Pooling = false,
            MaxAutoPrepare = 0,
            ApplicationName = builder.ApplicationName + "-listener",
        };
        if (listen.KeepAlive == 0)
        {
            listen.KeepAlive = 15;
        }
        ListenerConnectionString = listen.ConnectionString;

        MigrationLockKey = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("jobwatch:migrations:" + Schema)));
        JobsChannel = Channel("jobs");
        EventsChannel = Channel("events");
    }

    public string Schema { get; }
    public string ConnectionString { get; }
    public string ListenerConnectionString { get; }

    /// <summary>The pg_advisory_xact_lock key that serialises migrations of this schema across nodes.</summary>
    public long MigrationLockKey { get; }

    /// <summary>NOTIFY channel of wake-ups: the payload is a queue name.</summary>
    public string JobsChannel { get; }

    /// <summary>NOTIFY channel of relayed job events.</summary>
    public string EventsChannel { get; }

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    /// <summary>Checks the options without connecting; messages name the option.</summary>
    public static void Validate(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException(
                $"{nameof(PostgresStoreOptions)}.{nameof(PostgresStoreOptions.ConnectionString)} is required, e.g. \"Host=localhost;Database=app;Username=jobwatch\".",
                nameof(options));
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(
                $"{nameof(PostgresStoreOptions)}.{nameof(PostgresStoreOptions.ConnectionString)} is not a valid Npgsql connection string: {ex.Message}",
                nameof(options), ex);
        }
        if (options.Schema is null || !SchemaName().IsMatch(options.Schema))
        {
            throw new ArgumentException(
                $"{nameof(PostgresStoreOptions)}.{nameof(PostgresStoreOptions.Schema)} '{options.Schema}' is not valid: use 1–63 lower-case letters, digits or '_', starting with a letter or '_' (e.g. \"jobwatch\").",
                nameof(options));
        }
    }

    /// <summary>
    /// The schema name as a quoted SQL identifier. The one place a name is put into SQL text, for the
    /// statements that take no parameters (CREATE SCHEMA, LISTEN): safe because the name matched
    /// <see cref="SchemaName"/> (and channel names are built from it and fixed suffixes only).
    /// </summary>
    public static string QuoteIdentifier(string validatedName)
    {
        if (!SchemaName().IsMatch(validatedName))
        {
            throw new ArgumentException($"'{validatedName}' is not a validated identifier.", nameof(validatedName));
        }
        return "\"" + validatedName + "\"";
    }

    /// <summary>
    /// "{schema}_{suffix}", so stores in different schemas of one database do not hear each other.
    /// Channel names are identifiers (63 bytes at most): a long schema name is shortened and given a
    /// hash of the whole, so two long names that share a prefix still get different channels.
    /// </summary>
    private string Channel(string suffix)
    {
        var name = Schema + "_" + suffix;
        if (name.Length <= MaxIdentifierBytes)
        {
            return name;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Schema)))[..10];
        var keep = MaxIdentifierBytes - hash.Length - suffix.Length - 2;
        return Schema[..keep] + "_" + hash + "_" + suffix;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
