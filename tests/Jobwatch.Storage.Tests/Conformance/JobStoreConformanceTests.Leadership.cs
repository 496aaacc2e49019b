namespace Jobwatch.Storage.Tests.Conformance;

// LeaderAttemptElectAsync and LeaderResignAsync.
public abstract partial class JobStoreConformanceTests
{
    private const string Leadership = "maintenance";
    private static readonly TimeSpan LeaderTtl = TimeSpan.FromSeconds(10);

    private static Task<bool> ElectAsync(IJobStore store, string node, DateTimeOffset now, string name = Leadership) =>
        store.LeaderAttemptElectAsync(new LeaderElectParams(name, node, now, LeaderTtl));

    [Fact]
    public async Task Leader_FirstNodeIsElected_OthersAreRefusedWhileItsLeaseHolds()
    {
        var store = await CreateStoreAsync();

        Assert.True(await ElectAsync(store, "node-a", T0));
        Assert.False(await ElectAsync(store, "node-b", At(1)));
        Assert.False(await ElectAsync(store, "node-c", At(9.999)));
        Assert.True(await ElectAsync(store, "node-a", At(2)));
    }

    [Fact]
    public async Task Leader_RenewalExtendsTheLeadership()
    {
        var store = await CreateStoreAsync();
        Assert.True(await ElectAsync(store, "node-a", T0));      // until At(10)
        Assert.True(await ElectAsync(store, "node-a", At(8)));   // until At(18)

        Assert.False(await ElectAsync(store, "node-b", At(15)));
        Assert.True(await ElectAsync(store, "node-a", At(17)));  // until At(27)
        Assert.False(await ElectAsync(store, "node-b", At(26)));
    }

    [Fact]
    public async Task Leader_AnotherNodeTakesOverAfterExpiry()
    {
        var store = await CreateStoreAsync();
        Assert.True(await ElectAsync(store, "node-a", T0)); // until At(10)

        Assert.True(await ElectAsync(store, "node-b", At(10.001)));
        Assert.False(await ElectAsync(store, "node-a", At(11)));
        Assert.True(await ElectAsync(store, "node-b", At(12)));
    }

    [Fact]
    public async Task Leader_ResignLetsAnotherNodeTakeOverAtOnce()
    {
        var store = await CreateStoreAsync();
        Assert.True(await ElectAsync(store, "node-a", T0));

        await store.LeaderResignAsync(new LeaderResignParams(Leadership, "node-a"));

        Assert.True(await ElectAsync(store, "node-b", At(1)));
        Assert.False(await ElectAsync(store, "node-a", At(2)));
    }

    [Fact]
    public async Task Leader_ResignByANodeThatDoesNotLeadChangesNothing()
    {
        var store = await CreateStoreAsync();
        Assert.True(await ElectAsync(store, "node-a", T0));

        await store.LeaderResignAsync(new LeaderResignParams(Leadership, "node-b"));
        await store.LeaderResignAsync(new LeaderResignParams("other-name", "node-a"));

        Assert.False(await ElectAsync(store, "node-b", At(1)));
        Assert.True(await ElectAsync(store, "node-a", At(2)));
    }

    [Fact]
    public async Task Leader_NamesAreIndependent()
    {
        var store = await CreateStoreAsync();
        Assert.True(await ElectAsync(store, "node-a", T0, "rescuer"));

        Assert.True(await ElectAsync(store, "node-b", At(1), "scheduler"));
        Assert.False(await ElectAsync(store, "node-b", At(2), "rescuer"));
        Assert.False(await ElectAsync(store, "node-a", At(3), "scheduler"));
    }

    [Fact]
    public async Task Leader_ConcurrentCandidatesElectExactlyOne()
    {
        var store = await CreateStoreAsync();
        for (var round = 0; round < 5; round++)
        {
            var now = At(round * 60); // every earlier leadership has expired
            var nodes = Enumerable.Range(0, 8).Select(i => $"node-{i}").ToArray();
            var results = await Task.WhenAll(nodes.Select(n => Task.Run(() => ElectAsync(store, n, now))));

            var winners = nodes.Where((_, i) => results[i]).ToArray();
            var winner = Assert.Single(winners);
            foreach (var node in nodes)
                Assert.Equal(node == winner, await ElectAsync(store, node, now.AddSeconds(1)));
        }
    }

    /// <summary>
    /// A long random schedule of elections and resignations by three nodes, checked step by step against
    /// a model: a node is elected exactly when nobody else holds an unexpired leadership, so two nodes
    /// are never leaders at the same instant and a free leadership is never refused.
    /// </summary>
    [Fact]
    public async Task Leader_NeverTwoLeadersAtTheSameInstant_ModelCheck()
    {
        var store = await CreateStoreAsync();
        var random = new Random(20310314);
        var ttl = TimeSpan.FromSeconds(10.25); // steps are whole seconds: never exactly at an expiry
        string? leader = null;
        var until = DateTimeOffset.MinValue;
        var now = T0;

        for (var step = 0; step < 300; step++)
        {
            now = now.AddSeconds(random.Next(0, 7));
            var node = $"node-{random.Next(3)}";
            if (random.Next(5) == 0)
            {
                await store.LeaderResignAsync(new LeaderResignParams(Leadership, node));
                if (leader == node) leader = null;
                continue;
            }

            var expected = leader is null || leader == node || until < now;
            var elected = await store.LeaderAttemptElectAsync(new LeaderElectParams(Leadership, node, now, ttl));

            Assert.True(expected == elected, $"Step {step} at +{(now - T0).TotalSeconds}s: {node} elected={elected}, but the leader was {leader ?? "nobody"} until +{(until - T0).TotalSeconds}s.");
            if (elected)
            {
                leader = node;
                until = now + ttl;
            }
        }
    }
}
