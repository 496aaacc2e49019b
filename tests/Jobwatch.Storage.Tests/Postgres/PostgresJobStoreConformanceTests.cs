using Jobwatch.Storage.Postgres;
using Jobwatch.Storage.Tests.Conformance;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>The conformance suite against <see cref="PostgresJobStore"/>: a fresh schema per store, dropped after the test.</summary>
public sealed class PostgresJobStoreConformanceTests : JobStoreConformanceTests, IAsyncLifetime
{
    private readonly List<PostgresJobStore> _stores = [];

    protected override async Task<IJobStore> CreateStoreAsync()
    {
        var store = new PostgresJobStore(PostgresTestDatabase.Options(PostgresTestDatabase.NewSchemaName()));
        _stores.Add(store);
        await store.MigrateAsync();
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        await PostgresTestDatabase.DropSchemasAsync(_stores.Select(s => s.Schema));
    }
}
