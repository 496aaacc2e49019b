using System.Collections.Concurrent;
using Jobwatch.Model;
using Jobwatch.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Jobwatch.Storage.Tests.Sqlite;

/// <summary>
/// Several <see cref="SqliteJobStore"/> instances on one database file, as several processes on one
/// machine would open it: each has its own connections and its own in-process writer lock, so only
/// SQLite's file locking keeps them apart.
/// </summary>
public sealed class SqliteSharedFileTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2031, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jobwatch-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteJobStore> _stores = [];

    private SqliteJobStore[] Open(int count)
    {
        Directory.CreateDirectory(_folder);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "shared.db") }.ToString();
        var stores = Enumerable.Range(0, count).Select(_ => new SqliteJobStore(new SqliteStoreOptions { ConnectionString = connectionString })).ToArray();
        _stores.AddRange(stores);
        return stores;
    }

    [Fact]
    public async Task MigrateAsync_FromSeveralProcessesAtOnceIsSafe()
    {
        var stores = Open(4);

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));

        var ids = await stores[0].JobInsertManyAsync(new JobInsertManyParams(
            [new JobInsertParams { Queue = "q", Name = "n", Type = "n", Payload = "{}", RunAt = T0 }], T0));
        foreach (var store in stores)
            Assert.Equal(JobState.Waiting, (await store.JobGetAsync(ids[0]))?.State);
    }

    [Fact]
    public async Task Fetch_FromSeveralProcessesNeverSharesAJob()
    {
        const int jobCount = 1_000;
        var stores = Open(3);
        await stores[0].MigrateAsync();
        await stores[1].JobInsertManyAsync(new JobInsertManyParams(Enumerable.Range(0, jobCount)
            .Select(i => new JobInsertParams { Queue = "q", Name = "n", Type = "n", Payload = "{}", RunAt = T0, Priority = i % 3 }).ToArray(), T0));

        var taken = new ConcurrentBag<(long Id, int Attempt)>();
        await Task.WhenAll(stores.SelectMany((store, s) => Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await store.JobFetchAvailableAsync(new JobFetchParams("q", 7, $"p{s}-w{w}", T0, T0.AddMinutes(1)));
                if (batch.Count == 0) return;
                foreach (var job in batch) taken.Add((job.Id, job.Attempt));
            }
        }))));

        Assert.Equal(jobCount, taken.Count);
        Assert.Equal(jobCount, taken.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public async Task Leader_AcrossProcessesExactlyOneIsElected()
    {
        var stores = Open(4);
        await stores[0].MigrateAsync();

        for (var round = 0; round < 5; round++)
        {
            var now = T0.AddMinutes(round);
            var results = await Task.WhenAll(stores.Select((s, i) => Task.Run(() =>
                s.LeaderAttemptElectAsync(new LeaderElectParams("maintenance", $"node-{i}", now, TimeSpan.FromSeconds(30))))));
            Assert.Single(results, r => r);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var store in _stores) store.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
