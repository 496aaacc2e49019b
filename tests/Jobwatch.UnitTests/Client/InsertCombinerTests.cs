using System.Collections.Concurrent;
using System.Reflection;
using Jobwatch.Client;
using Jobwatch.Storage;

namespace Jobwatch.UnitTests.Client;

/// <summary>
/// Group commit of single enqueues: a lone caller writes at once; callers arriving during an insert share the next one;
/// a failed statement fails exactly its callers; a caller cancelled while waiting is not written.
/// </summary>
public sealed class InsertCombinerTests
{
    [Fact]
    public async Task A_lone_caller_writes_its_job_in_its_own_statement_at_once()
    {
        var (store, gate) = GatedStore.CreatePair(gated: false);
        var combiner = new InsertCombiner(store, TimeProvider.System);

        for (var i = 0; i < 3; i++)
        {
            var (id, _) = await combiner.InsertAsync(Job($"j{i}"), CancellationToken.None);
            Assert.Equal(i + 1, id);
        }
        Assert.Equal([1, 1, 1], gate.BatchSizes);
    }

    [Fact]
    public async Task Callers_arriving_during_an_insert_share_the_next_statement_and_each_get_their_own_id()
    {
        var (store, gate) = GatedStore.CreatePair(gated: true);
        var combiner = new InsertCombiner(store, TimeProvider.System);

        var first = combiner.InsertAsync(Job("first"), CancellationToken.None);
        await gate.WaitForCallsAsync(1);
        var others = Enumerable.Range(0, 20).Select(i => combiner.InsertAsync(Job($"other{i}"), CancellationToken.None)).ToArray();
        Assert.All(others, t => Assert.False(t.IsCompleted));
        gate.Open();

        var ids = (await Task.WhenAll(others)).Select(r => r.Id).ToArray();
        Assert.Equal(1, (await first).Id);
        Assert.Equal([1, 20], gate.BatchSizes);
        // Each caller gets the id of its own job, in the order they queued.
        Assert.Equal(Enumerable.Range(2, 20).Select(i => (long)i), ids);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"other{i}"), gate.Names.Skip(1));
    }

    [Fact]
    public async Task A_failed_statement_fails_its_callers_only_and_the_next_caller_writes_again()
    {
        var (store, gate) = GatedStore.CreatePair(gated: true);
        var combiner = new InsertCombiner(store, TimeProvider.System);

        var first = combiner.InsertAsync(Job("first"), CancellationToken.None);
        await gate.WaitForCallsAsync(1);
        var doomed = Enumerable.Range(0, 5).Select(i => combiner.InsertAsync(Job($"fail{i}"), CancellationToken.None)).ToArray();
        gate.FailNames = n => n.StartsWith("fail", StringComparison.Ordinal);
        gate.Open();

        Assert.Equal(1, (await first).Id);
        foreach (var t in doomed)
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => t);
            Assert.Equal("database unavailable", ex.Message);
        }
        var (after, _) = await combiner.InsertAsync(Job("after"), CancellationToken.None);
        Assert.Equal(2, after);
        Assert.Equal(["first", "after"], gate.WrittenNames);
    }

    [Fact]
    public async Task A_caller_cancelled_while_waiting_is_not_written()
    {
        var (store, gate) = GatedStore.CreatePair(gated: true);
        var combiner = new InsertCombiner(store, TimeProvider.System);

        var first = combiner.InsertAsync(Job("first"), CancellationToken.None);
        await gate.WaitForCallsAsync(1);
        using var cancel = new CancellationTokenSource();
        var cancelled = combiner.InsertAsync(Job("cancelled"), cancel.Token);
        var kept = combiner.InsertAsync(Job("kept"), CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Open();

        await first;
        Assert.Equal(2, (await kept).Id);
        Assert.Equal(["first", "kept"], gate.WrittenNames);
    }

    [Fact]
    public async Task Batches_are_capped_and_the_rest_follow()
    {
        var (store, gate) = GatedStore.CreatePair(gated: true);
        var combiner = new InsertCombiner(store, TimeProvider.System);

        var first = combiner.InsertAsync(Job("first"), CancellationToken.None);
        await gate.WaitForCallsAsync(1);
        var many = Enumerable.Range(0, InsertCombiner.MaxBatch + 7).Select(i => combiner.InsertAsync(Job($"m{i}"), CancellationToken.None)).ToArray();
        gate.Open();

        await first;
        var ids = (await Task.WhenAll(many)).Select(r => r.Id).ToArray();
        Assert.Equal(InsertCombiner.MaxBatch + 7, ids.Distinct().Count());
        Assert.Equal([1, InsertCombiner.MaxBatch, 7], gate.BatchSizes);
    }

    private static JobInsertParams Job(string name) => new()
    {
        Queue = "default",
        Name = name,
        Type = "test",
        Payload = "{}",
        Priority = 0,
        MaxAttempts = 1,
        RunAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>An <see cref="IJobStore"/> that only inserts: numbers jobs from 1, can hold the first insert at a gate, can fail.</summary>
    public class GatedStore : DispatchProxy
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<int> _batchSizes = new();
        private readonly ConcurrentQueue<string> _names = new();
        private readonly ConcurrentQueue<string> _written = new();
        private int _calls;
        private long _nextId;

        public Func<string, bool> FailNames { get; set; } = _ => false;
        public int[] BatchSizes => _batchSizes.ToArray();
        public string[] Names => _names.ToArray();
        public string[] WrittenNames => _written.ToArray();

        public static (IJobStore Store, GatedStore Proxy) CreatePair(bool gated)
        {
            var store = Create<IJobStore, GatedStore>();
            var proxy = (GatedStore)(object)store;
            if (!gated)
            {
                proxy.Open();
            }
            return (store, proxy);
        }

        public void Open() => _gate.TrySetResult();

        public async Task WaitForCallsAsync(int calls)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Volatile.Read(ref _calls) < calls)
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IJobStore.JobInsertManyAsync))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }
            return InsertAsync((JobInsertManyParams)args![0]!);
        }

        private async Task<IReadOnlyList<long>> InsertAsync(JobInsertManyParams p)
        {
            var call = Interlocked.Increment(ref _calls);
            _batchSizes.Enqueue(p.Jobs.Count);
            foreach (var job in p.Jobs)
            {
                _names.Enqueue(job.Name);
            }
            if (call == 1)
            {
                await _gate.Task;
            }
            await Task.Yield();
            if (p.Jobs.Any(j => FailNames(j.Name)))
            {
                throw new InvalidOperationException("database unavailable");
            }
            foreach (var job in p.Jobs)
            {
                _written.Enqueue(job.Name);
            }
            return p.Jobs.Select(_ => Interlocked.Increment(ref _nextId)).ToArray();
        }
    }
}
