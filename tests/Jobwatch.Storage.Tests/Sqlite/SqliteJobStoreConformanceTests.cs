using Jobwatch.Storage.Sqlite;
using Jobwatch.Storage.Tests.Conformance;
using Microsoft.Data.Sqlite;

namespace Jobwatch.Storage.Tests.Sqlite;

/// <summary>The conformance suite against <see cref="SqliteJobStore"/>: a new database file per store, in a temp folder per test.</summary>
public sealed class SqliteJobStoreConformanceTests : JobStoreConformanceTests, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jobwatch-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly List<IJobStore> _stores = [];

    protected override async Task<IJobStore> CreateStoreAsync()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, $"jobs-{_stores.Count}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        var store = new SqliteJobStore(new SqliteStoreOptions { ConnectionString = connectionString });
        _stores.Add(store);
        await store.MigrateAsync();
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            if (store is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (store is IDisposable disposable) disposable.Dispose();
        }
        // Microsoft.Data.Sqlite pools connections: release the files before deleting them.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
