using Jobwatch.Audit;

namespace Jobwatch.Storage.Tests.Conformance;

// AuditAppendAsync, AuditListAsync.
public abstract partial class JobStoreConformanceTests
{
    private static AuditAppendParams Audit(
        double seconds,
        string actor = "token:ops-alice (operator)",
        string action = AuditActions.JobRetry,
        string? target = "job:1",
        string? details = null,
        string outcome = AuditOutcomes.Ok) => new(At(seconds), actor, action, target, details, outcome);

    private static async Task<long[]> AppendAllAsync(IJobStore store, params AuditAppendParams[] entries)
    {
        var ids = new long[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            ids[i] = await store.AuditAppendAsync(entries[i]);
        }
        return ids;
    }

    private static async Task<long[]> AuditIdsAsync(IJobStore store, AuditListParams p) =>
        (await store.AuditListAsync(p)).Select(e => e.Id).ToArray();

    [Fact]
    public async Task Audit_Append_GivesGrowingIds_AndListsNewestFirst_WithEveryField()
    {
        var store = await CreateStoreAsync();
        Assert.Empty(await store.AuditListAsync(new AuditListParams()));

        var ids = await AppendAllAsync(store,
            Audit(1, actor: "app", action: AuditActions.QueuePause, target: "queue:default"),
            Audit(2, target: null, details: """{"count":2}""", outcome: AuditOutcomes.NotFound),
            Audit(3, action: AuditActions.JobCancel, target: "job:7", outcome: AuditOutcomes.NotAllowed));

        Assert.True(ids[0] > 0 && ids[0] < ids[1] && ids[1] < ids[2], $"ids must grow: {string.Join(", ", ids)}");
        var listed = await store.AuditListAsync(new AuditListParams());
        Assert.Equal(ids.OrderDescending(), listed.Select(e => e.Id));

        var pause = listed[2];
        AssertTime(At(1), pause.At);
        Assert.Equal("app", pause.Actor);
        Assert.Equal(AuditActions.QueuePause, pause.Action);
        Assert.Equal("queue:default", pause.Target);
        Assert.Null(pause.Details);
        Assert.Equal(AuditOutcomes.Ok, pause.Outcome);

        var noTarget = listed[1];
        Assert.Null(noTarget.Target);
        AssertJson("""{"count":2}""", noTarget.Details);
        Assert.Equal(AuditOutcomes.NotFound, noTarget.Outcome);
        Assert.Equal(AuditOutcomes.NotAllowed, listed[0].Outcome);
    }

    [Fact]
    public async Task Audit_List_IsOrderedById_NotByTheCallersTime()
    {
        var store = await CreateStoreAsync();
        // Two nodes with slightly different clocks: the later append carries the earlier time.
        var ids = await AppendAllAsync(store, Audit(10), Audit(5));

        Assert.Equal([ids[1], ids[0]], await AuditIdsAsync(store, new AuditListParams()));
    }

    [Fact]
    public async Task Audit_List_FiltersByActorActionAndTarget_Exactly()
    {
        var store = await CreateStoreAsync();
        var ids = await AppendAllAsync(store,
            Audit(1, actor: "alice", action: AuditActions.JobRetry, target: "job:1"),
            Audit(2, actor: "bob", action: AuditActions.JobRetry, target: "job:2"),
            Audit(3, actor: "alice", action: AuditActions.JobCancel, target: "job:1"),
            Audit(4, actor: "Alice", action: AuditActions.QueuePause, target: "queue:default"),
            Audit(5, actor: "alice", action: AuditActions.DeadLetterRetry, target: null));

        Assert.Equal([ids[4], ids[2], ids[0]], await AuditIdsAsync(store, new AuditListParams { Actor = "alice" }));
        Assert.Equal([ids[3]], await AuditIdsAsync(store, new AuditListParams { Actor = "Alice" }));
        Assert.Empty(await AuditIdsAsync(store, new AuditListParams { Actor = "ali" }));
        Assert.Equal([ids[1], ids[0]], await AuditIdsAsync(store, new AuditListParams { Action = AuditActions.JobRetry }));
        Assert.Equal([ids[2], ids[0]], await AuditIdsAsync(store, new AuditListParams { Target = "job:1" }));
        Assert.Empty(await AuditIdsAsync(store, new AuditListParams { Target = "job:" }));
        Assert.Equal([ids[2]], await AuditIdsAsync(store, new AuditListParams { Actor = "alice", Action = AuditActions.JobCancel, Target = "job:1" }));
        Assert.Empty(await AuditIdsAsync(store, new AuditListParams { Actor = "bob", Target = "job:1" }));
    }

    [Fact]
    public async Task Audit_List_Since_IsInclusive_Until_IsExclusive()
    {
        var store = await CreateStoreAsync();
        var ids = await AppendAllAsync(store, Audit(1), Audit(2), Audit(3), Audit(4));

        Assert.Equal([ids[3], ids[2], ids[1]], await AuditIdsAsync(store, new AuditListParams { Since = At(2) }));
        Assert.Equal([ids[1], ids[0]], await AuditIdsAsync(store, new AuditListParams { Until = At(3) }));
        Assert.Equal([ids[2], ids[1]], await AuditIdsAsync(store, new AuditListParams { Since = At(2), Until = At(4) }));
        Assert.Empty(await AuditIdsAsync(store, new AuditListParams { Since = At(3), Until = At(3) }));
        Assert.Empty(await AuditIdsAsync(store, new AuditListParams { Since = At(5) }));
    }

    [Fact]
    public async Task Audit_KeysetPaging_VisitsEveryEntryOnce_NewestFirst()
    {
        var store = await CreateStoreAsync();
        var entries = Enumerable.Range(0, 23)
            .Select(i => Audit(i, actor: i % 3 == 0 ? "carol" : "dave", target: $"job:{i}"))
            .ToArray();
        var ids = await AppendAllAsync(store, entries);

        foreach (var (filter, expected) in new[]
        {
            (new AuditListParams(), ids.OrderDescending().ToArray()),
            (new AuditListParams { Actor = "carol" }, ids.Where((_, i) => i % 3 == 0).OrderDescending().ToArray()),
        })
        {
            var seen = new List<long>();
            long? before = null;
            for (var page = 0; page < 100; page++)
            {
                var rows = await AuditIdsAsync(store, filter with { Limit = 4, BeforeId = before });
                Assert.True(rows.Length <= 4, $"A page of limit 4 returned {rows.Length} entries.");
                if (rows.Length == 0)
                {
                    break;
                }
                seen.AddRange(rows);
                before = rows[^1];
            }
            Assert.Equal(expected, seen);
        }
    }

    [Fact]
    public async Task Audit_Before_ExcludesTheCursorItself_AndMayPointPastTheNewest()
    {
        var store = await CreateStoreAsync();
        var ids = await AppendAllAsync(store, Audit(1), Audit(2), Audit(3));

        Assert.Equal([ids[1], ids[0]], await AuditIdsAsync(store, new AuditListParams { BeforeId = ids[2] }));
        Assert.Equal([ids[2], ids[1], ids[0]], await AuditIdsAsync(store, new AuditListParams { BeforeId = ids[2] + 1000 }));
        Assert.Empty(await AuditIdsAsync(store, new AuditListParams { BeforeId = ids[0] }));
    }

    [Fact]
    public async Task Audit_Limit_IsClampedTo1Through1000()
    {
        var store = await CreateStoreAsync();
        var ids = await AppendAllAsync(store, Enumerable.Range(0, 1001).Select(i => Audit(i / 100.0)).ToArray());

        Assert.Equal([ids[^1]], await AuditIdsAsync(store, new AuditListParams { Limit = 1 }));
        Assert.Equal([ids[^1]], await AuditIdsAsync(store, new AuditListParams { Limit = 0 }));
        Assert.Equal([ids[^1]], await AuditIdsAsync(store, new AuditListParams { Limit = -5 }));
        Assert.Equal(ids[^3..].OrderDescending(), await AuditIdsAsync(store, new AuditListParams { Limit = 3 }));
        var capped = await AuditIdsAsync(store, new AuditListParams { Limit = 5000 });
        Assert.Equal(1000, capped.Length);
        Assert.Equal(ids[1..].OrderDescending(), capped);
    }

    [Fact]
    public async Task Audit_Details_RoundTripAsTheSameJsonText()
    {
        var store = await CreateStoreAsync();
        const string details = """{"filter":{"queue":"emails","status_code":500,"failed_after":"2031-03-14T09:26:53.589+00:00"},"count":3,"ids":[3,1,2],"ids_truncated":false,"note":"Zoë \"quoted\" \\ 🚀","nested":{"empty":[],"null":null,"pi":3.25}}""";

        var id = await store.AuditAppendAsync(Audit(1, action: AuditActions.DeadLetterRetry, details: details));

        var entry = Assert.Single(await store.AuditListAsync(new AuditListParams()));
        Assert.Equal(id, entry.Id);
        AssertJson(details, entry.Details);
        Assert.Equal(details, entry.Details);
    }

    [Fact]
    public async Task Audit_UnicodeActor_RoundTrips_AndFiltersExactly()
    {
        var store = await CreateStoreAsync();
        const string actor = "token:Zoë-操作员 (opérateur) 🚀";
        var ids = await AppendAllAsync(store,
            Audit(1, actor: actor, target: "queue:ünïcödé"),
            Audit(2, actor: "token:Zoe-操作员 (opérateur) 🚀"),
            Audit(3, actor: "TOKEN:ZOË-操作员 (OPÉRATEUR) 🚀"));

        var entry = Assert.Single(await store.AuditListAsync(new AuditListParams { Actor = actor }));
        Assert.Equal(ids[0], entry.Id);
        Assert.Equal(actor, entry.Actor);
        Assert.Equal("queue:ünïcödé", entry.Target);
        Assert.Equal([ids[0]], await AuditIdsAsync(store, new AuditListParams { Target = "queue:ünïcödé" }));
    }

    [Fact]
    public async Task Audit_Entries_OutliveTheJobsTheyName()
    {
        var store = await CreateStoreAsync();
        var job = await InsertFailedAsync(store);
        var id = await store.AuditAppendAsync(Audit(5, action: AuditActions.JobDelete, target: $"job:{job.Id}"));

        Assert.True(await store.JobDeleteAsync(new JobDeleteParams(job.Id)));

        Assert.Equal([id], await AuditIdsAsync(store, new AuditListParams { Target = $"job:{job.Id}" }));
    }
}
