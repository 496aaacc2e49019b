using Jobwatch.Storage.Sqlite.Internal;

namespace Jobwatch.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes go through one connection per process,
/// serialised by a semaphore, each in a BEGIN IMMEDIATE transaction (safe across processes sharing
/// the file); monitoring reads use a pool of read-only connections and never wait for writers.
/// Split by area into partial files, like <see cref="IJobStore"/>.
/// </summary>
public sealed partial class SqliteJobStore : IJobStore, IDisposable
{
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly WalSyncer? _walSyncer;

    public SqliteJobStore(SqliteStoreOptions options)
    {
        var factory = new SqliteConnectionFactory(options);
        _writer = new SqliteWriter(factory);
        _readers = new SqliteReaderPool(factory);
        _walSyncer = WalSyncer.For(factory.DatabasePath);
    }

    public string Name => "sqlite";

    public Task MigrateAsync(CancellationToken ct = default) =>
        _writer.RunAsync(0, static (session, _) => MigrationRunner.Apply(session), ct);

    public void Dispose()
    {
        _walSyncer?.Dispose();
        _writer.Dispose();
        _readers.Dispose();
    }
}
