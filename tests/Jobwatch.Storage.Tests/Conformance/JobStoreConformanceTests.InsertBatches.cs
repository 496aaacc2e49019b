using Jobwatch.Model;

namespace Jobwatch.Storage.Tests.Conformance;

// Stores may split a batch into multi-row statements (SQLite inserts 32 rows per statement): every id must
// still name its own job, with its own created entry, whatever the batch size relative to that chunk.
public abstract partial class JobStoreConformanceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(100)]
    public async Task Insert_BatchesOfAnySize_MapEachIdToItsOwnJobAndCreatedEntry(int size)
    {
        var store = await CreateStoreAsync();
        var jobs = Enumerable.Range(0, size)
            .Select(i => NewJob($"job_{i:D3}", queue: i % 3 == 0 ? "q-a" : "q-b", priority: i % 5, runAt: i % 4 == 0 ? At(60) : T0, payload: $$"""{"i":{{i}}}"""))
            .ToArray();

        var ids = await InsertManyAsync(store, T0, jobs);

        Assert.Equal(size, ids.Distinct().Count());
        for (var i = 0; i < size; i++)
        {
            var job = await GetAsync(store, ids[i]);
            Assert.Equal(($"job_{i:D3}", i % 3 == 0 ? "q-a" : "q-b", i % 5, i % 4 == 0 ? JobState.Delayed : JobState.Waiting),
                (job.Name, job.Queue, job.Priority, job.State));
            Assert.Contains($"\"i\":{i}", job.Payload.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            var timeline = await store.JobTimelineListAsync(ids[i]);
            Assert.Equal(JobTimelineKinds.Created, Assert.Single(timeline).Kind);
        }
    }
}
