using System.Collections.Concurrent;
using Jobwatch.Model;
using Jobwatch.Storage.Postgres;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>
/// Several <see cref="PostgresJobStore"/> instances on one schema, as several nodes would run: each has
/// its own pool, so only PostgreSQL's locking keeps them apart.
/// </summary>
public sealed class PostgresTwoNodeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2031, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly List<PostgresJobStore> _stores = [];

    private PostgresJobStore[] Open(int count)
    {
        var stores = Enumerable.Range(0, count).Select(_ => new PostgresJobStore(PostgresTestDatabase.Options(_schema))).ToArray();
        _stores.AddRange(stores);
        return stores;
    }

    private static JobInsertParams Job(int priority = 0) =>
        new() { Queue = "q", Name = "n", Type = "n", Payload = "{}", RunAt = T0, Priority = priority };

    [Fact]
    public async Task Migrate_FromSeveralNodesAtOnceIsSafe()
    {
        var stores = Open(4);

        // The schema does not exist yet: all four race to create it and its tables.
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));

        var ids = await stores[0].JobInsertManyAsync(new JobInsertManyParams([Job()], T0));
        foreach (var store in stores)
            Assert.Equal(JobState.Waiting, (await store.JobGetAsync(ids[0]))?.State);
    }

    [Fact]
    public async Task Fetch_FromTwoNodesNeverSharesAJob()
    {
        const int jobCount = 2_000;
        var stores = Open(2);
        await stores[0].MigrateAsync();
        for (var batch = 0; batch < 4; batch++)
            await stores[1].JobInsertManyAsync(new JobInsertManyParams(Enumerable.Range(0, jobCount / 4).Select(i => Job(i % 3)).ToArray(), T0));

        var taken = new ConcurrentBag<(long Id, int Attempt, string Worker)>();
        await Task.WhenAll(stores.SelectMany((store, s) => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var worker = $"node{s}-w{w}";
            while (true)
            {
                var batch = await store.JobFetchAvailableAsync(new JobFetchParams("q", 1 + w * 9, worker, T0, T0.AddMinutes(1)));
                if (batch.Count == 0) return;
                foreach (var job in batch) taken.Add((job.Id, job.Attempt, worker));
            }
        }))));

        Assert.Equal(jobCount, taken.Count);
        Assert.Equal(jobCount, taken.Select(t => t.Id).Distinct().Count());
        Assert.All(taken, t => Assert.Equal(1, t.Attempt));
        // Both nodes really took part: the test would prove nothing if one drained the queue alone.
        Assert.True(taken.Any(t => t.Worker.StartsWith("node0", StringComparison.Ordinal)) && taken.Any(t => t.Worker.StartsWith("node1", StringComparison.Ordinal)),
            "One node fetched every job.");
    }

    [Fact]
    public async Task Leader_AcrossNodesExactlyOneIsElected()
    {
        var stores = Open(3);
        await stores[0].MigrateAsync();

        for (var round = 0; round < 10; round++)
        {
            var now = T0.AddMinutes(round); // every earlier leadership has expired
            var results = await Task.WhenAll(Enumerable.Range(0, 9).Select(i => Task.Run(() =>
                stores[i % 3].LeaderAttemptElectAsync(new LeaderElectParams("maintenance", $"node-{i}", now, TimeSpan.FromSeconds(15))))));
            var winner = Assert.Single(Enumerable.Range(0, 9), i => results[i]);
            // Every node agrees while the lease holds.
            for (var i = 0; i < 9; i++)
                Assert.Equal(i == winner, await stores[(i + 1) % 3].LeaderAttemptElectAsync(new LeaderElectParams("maintenance", $"node-{i}", now.AddSeconds(5), TimeSpan.FromSeconds(15))));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        await PostgresTestDatabase.DropSchemasAsync([_schema]);
    }
}
