using Jobwatch.Audit;
using Jobwatch.Engine.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Engine.Tests.Audit;

/// <summary><see cref="IAuditTrail"/> as hosts use it: recording what only they see, and paging the trail.</summary>
public class AuditTrailServiceTests(ITestOutputHelper output)
{
    private static IAuditTrail Trail(EngineHost host) => host.Services.GetRequiredService<IAuditTrail>();

    private static AuditRecord Enqueue(string actor = "token:ci (operator)", int n = 0) => new()
    {
        Actor = actor,
        Action = AuditActions.JobEnqueue,
        Target = AuditTargets.Job(n),
        Details = $$"""{"name":"report","n":{{n}}}""",
    };

    [Fact]
    public async Task Record_stamps_the_clock_when_no_time_is_given_and_returns_the_stored_entry()
    {
        await using var host = await EngineHost.StartAsync(output, _ => { });
        var before = TimeProvider.System.GetUtcNow();

        var recorded = await Trail(host).RecordAsync(Enqueue());
        var given = await Trail(host).RecordAsync(Enqueue() with { At = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero), Outcome = AuditOutcomes.NotAllowed });

        Assert.InRange(recorded.At, before, TimeProvider.System.GetUtcNow());
        Assert.Equal(AuditOutcomes.Ok, recorded.Outcome);
        var listed = (await Trail(host).ListAsync(new AuditQuery())).Entries;
        Assert.Equal([given.Id, recorded.Id], listed.Select(e => e.Id));
        Assert.Equal(recorded with { At = listed[1].At }, listed[1]);
        Assert.Equal(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero), listed[0].At);
        Assert.Equal(AuditOutcomes.NotAllowed, listed[0].Outcome);
    }

    private static readonly Dictionary<string, AuditRecord> InvalidRecords = new()
    {
        ["empty actor"] = Enqueue() with { Actor = "" },
        ["blank actor"] = Enqueue() with { Actor = "   " },
        ["actor with a line break"] = Enqueue() with { Actor = "line\nbreak" },
        ["long actor"] = Enqueue() with { Actor = new string('a', AuditTrail.MaxActorLength + 1) },
        ["action with a space"] = Enqueue() with { Action = "Job Retry" },
        ["action ending in a dot"] = Enqueue() with { Action = "job." },
        ["empty action"] = Enqueue() with { Action = "" },
        ["empty target"] = Enqueue() with { Target = "" },
        ["upper-case outcome"] = Enqueue() with { Outcome = "OK" },
        ["details not JSON"] = Enqueue() with { Details = "{not json" },
        ["details too long"] = Enqueue() with { Details = "[" + new string(' ', AuditTrail.MaxDetailsLength) + "]" },
    };

    [Theory]
    [InlineData("empty actor", "Actor")]
    [InlineData("blank actor", "Actor")]
    [InlineData("actor with a line break", "Actor")]
    [InlineData("long actor", "Actor")]
    [InlineData("action with a space", "Action")]
    [InlineData("action ending in a dot", "Action")]
    [InlineData("empty action", "Action")]
    [InlineData("empty target", "Target")]
    [InlineData("upper-case outcome", "Outcome")]
    [InlineData("details not JSON", "Details")]
    [InlineData("details too long", "Details")]
    public async Task Record_rejects_an_invalid_field_by_name_and_stores_nothing(string invalid, string field)
    {
        await using var host = await EngineHost.StartAsync(output, _ => { });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Trail(host).RecordAsync(InvalidRecords[invalid]));

        Assert.Equal(field, error.ParamName);
        Assert.Empty((await Trail(host).ListAsync(new AuditQuery())).Entries);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(AuditQuery.MaxLimit + 1)]
    public async Task List_rejects_a_limit_outside_1_to_500(int limit)
    {
        await using var host = await EngineHost.StartAsync(output, _ => { });

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Trail(host).ListAsync(new AuditQuery { Limit = limit }));
        Assert.Contains("between 1 and 500", error.Message);
    }

    [Fact]
    public async Task List_rejects_a_window_that_ends_before_it_starts_and_a_cursor_below_1()
    {
        await using var host = await EngineHost.StartAsync(output, _ => { });
        var now = DateTimeOffset.UtcNow;

        await Assert.ThrowsAsync<ArgumentException>(() => Trail(host).ListAsync(new AuditQuery { Since = now, Until = now.AddSeconds(-1) }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Trail(host).ListAsync(new AuditQuery { Before = 0 }));
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(6, 3)]
    [InlineData(2, 5)]
    public async Task Pages_follow_NextBefore_to_the_end_without_gaps_or_repeats(int count, int limit)
    {
        await using var host = await EngineHost.StartAsync(output, _ => { });
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await Trail(host).RecordAsync(Enqueue(n: i))).Id);
            await Trail(host).RecordAsync(Enqueue(actor: "someone else", n: i));
        }

        var seen = new List<long>();
        var pages = 0;
        long? before = null;
        do
        {
            var page = await Trail(host).ListAsync(new AuditQuery { Actor = "token:ci (operator)", Limit = limit, Before = before });
            Assert.InRange(page.Entries.Count, 1, limit);
            seen.AddRange(page.Entries.Select(e => e.Id));
            before = page.NextBefore;
            Assert.True(++pages <= count, "NextBefore never became null");
        }
        while (before is not null);

        Assert.Equal(ids.AsEnumerable().Reverse(), seen);
        Assert.Equal((count + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task Empty_filters_mean_no_filter()
    {
        await using var host = await EngineHost.StartAsync(output, _ => { });
        var entry = await Trail(host).RecordAsync(Enqueue());

        var page = await Trail(host).ListAsync(new AuditQuery { Actor = "", Action = "", Target = "" });

        Assert.Equal([entry.Id], page.Entries.Select(e => e.Id));
        Assert.Null(page.NextBefore);
    }
}
