using System.Text.Json.Nodes;
using Jobwatch.DependencyInjection;
using Npgsql;

namespace Jobwatch.Benchmarks;

/// <summary>
/// <c>--storage postgres:&lt;connection string&gt;</c>: a fresh schema per target (the measured run and the warm-up
/// each get one), dropped afterwards, so runs never see each other's jobs or table bloat.
/// </summary>
public sealed class PostgresTarget : StorageTarget
{
    private readonly bool _keep;
    private bool _disposed;

    private PostgresTarget(string connectionString, string schema, bool keep = false)
    {
        ConnectionString = connectionString;
        Schema = schema;
        _keep = keep;
    }

    /// <summary>The connection string as given; it may hold a password, so it never goes into results or messages.</summary>
    public string ConnectionString { get; }
    public string Schema { get; }

    public override string Kind => "postgres";

    public static PostgresTarget FreshSchema(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new UsageException("--storage postgres: needs a connection string, e.g. postgres:Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres.");
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Npgsql's message names the key only, but a mangled string may have split a password into a key.
            throw new UsageException("--storage postgres:… is not a valid Npgsql connection string (Key=Value pairs separated by ';').");
        }
        return new PostgresTarget(connectionString, NewSchemaName("jobwatch_bench_"));
    }

    /// <summary>The same server in a schema that is kept afterwards, so a slow set-up (the api scenario's fill) can be reused.</summary>
    public PostgresTarget WithKeptSchema(string schema)
    {
        // This target's own fresh schema was never created, so there is nothing of it to drop.
        _disposed = true;
        return new(ConnectionString, schema, keep: true);
    }

    public static string NewSchemaName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    public override void Register(JobwatchBuilder builder) => builder.UsePostgres(ConnectionString, o => o.Schema = Schema);

    /// <summary>Server version and the durability settings in force: figures with fsync off are not comparable.</summary>
    public override async Task DescribeAsync(JsonObject json)
    {
        json["pg_schema"] = Schema;
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('max_connections')",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        json["pg_version"] = reader.GetString(0);
        json["pg_fsync"] = reader.GetString(1);
        json["pg_synchronous_commit"] = reader.GetString(2);
        json["pg_max_connections"] = int.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// pgbench's simplest transaction from .NET: a prepared one-row insert into a two-column table in this target's
    /// schema, each its own commit, on a connection outside the store's pool.
    /// </summary>
    public override async Task<ICommitProbe?> OpenCommitProbeAsync()
    {
        var connection = await OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS \"{Schema}\".commit_probe (id bigserial PRIMARY KEY, v text)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        var insert = new NpgsqlCommand($"INSERT INTO \"{Schema}\".commit_probe (v) VALUES ($1)", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = "x" });
        await insert.PrepareAsync();
        return new CommitProbe(connection, insert);
    }

    private sealed class CommitProbe(NpgsqlConnection connection, NpgsqlCommand insert) : ICommitProbe
    {
        public Task CommitAsync() => insert.ExecuteNonQueryAsync();

        public async ValueTask DisposeAsync()
        {
            await insert.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>A connection outside every pool, for set-up and clean-up statements.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Drops a schema this run created (generated names only, so quoting is enough).</summary>
    public async Task DropSchemaAsync(string schema)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    public override void Dispose()
    {
        if (_disposed || _keep)
        {
            return;
        }
        _disposed = true;
        try
        {
            DropSchemaAsync(Schema).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The result matters more than the clean-up; say what is left behind.
            Console.Error.WriteLine($"could not drop schema {Schema}: {ex.Message}");
        }
    }
}
