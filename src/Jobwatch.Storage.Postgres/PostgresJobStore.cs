using Jobwatch.Storage.Postgres.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobwatch.Storage.Postgres;

/// <summary>
/// The multi-node store: many server and worker processes share one PostgreSQL schema. Every method
/// is one statement, so one round trip and one short transaction, and never holds a transaction open
/// across a handler; the batched methods change many jobs per commit. Fetching uses
/// <c>FOR UPDATE SKIP LOCKED</c>; every change that makes jobs runnable NOTIFYs their queue in the
/// same transaction, so <see cref="Notifications.PostgresJobSignals"/> wakes workers on every node
/// at commit. Split by area into partial files, like <see cref="IJobStore"/>.
/// </summary>
/// <remarks>
/// Every call may throw when the server is unreachable (the engine retries); none waits forever: the
/// connection string's Timeout bounds connecting and its Command Timeout (default 30 s) each statement.
/// </remarks>
public sealed partial class PostgresJobStore : IJobStore, IDisposable, IAsyncDisposable
{
    /// <summary>Beyond this offset between this machine's clock and the server's, leadership may overlap (see <see cref="LeaderAttemptElectAsync"/>).</summary>
    private static readonly TimeSpan ClockSkewWarning = TimeSpan.FromSeconds(2);

    private readonly PostgresConnectionFactory _factory;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    public PostgresJobStore(PostgresStoreOptions options, ILogger<PostgresJobStore>? logger = null)
    {
        _factory = new PostgresConnectionFactory(options);
        _dataSource = _factory.CreateDataSource();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string Name => "postgres";

    /// <summary>The schema this store works in.</summary>
    public string Schema => _factory.Schema;

    /// <summary>Connection strings, channel names and the schema, shared with the store's notifications.</summary>
    internal PostgresConnectionFactory Factory => _factory;

    /// <summary>The store's pool, also used to send notifications.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        var localBefore = DateTimeOffset.UtcNow;
        var (applied, serverNow) = await MigrationRunner.ApplyAsync(_dataSource, _factory, ct).ConfigureAwait(false);
        if (applied > 0)
        {
            _logger.LogInformation("Applied {Count} Jobwatch migration(s) to schema {Schema}", applied, _factory.Schema);
        }
        // The wall clock, not TimeProvider: this compares this machine with the server, whatever the
        // engine's notion of time. The server's reading falls between the two local readings.
        var localAfter = DateTimeOffset.UtcNow;
        var skew = serverNow - (localBefore + (localAfter - localBefore) / 2);
        if (skew.Duration() > ClockSkewWarning + (localAfter - localBefore))
        {
            _logger.LogWarning(
                "This machine's clock is {Skew} off the PostgreSQL server's. Jobwatch nodes compare leases and leaderships by their own clocks: keep them in sync (NTP) to well under 5 s.",
                skew);
        }
    }

    // Registered as itself and as IJobStore, so a container may dispose it twice: both are harmless.
    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private NpgsqlCommand Command(string sql) => _dataSource.CreateCommand(sql);

    private static async Task<List<long>> ReadIdsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }
}
