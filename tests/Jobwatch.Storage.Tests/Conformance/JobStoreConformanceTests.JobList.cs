using Jobwatch.Model;

namespace Jobwatch.Storage.Tests.Conformance;

// JobListAsync: every filter, both orders, keyset paging.
public abstract partial class JobStoreConformanceTests
{
    /// <summary>
    /// Eight jobs, created one second apart (j1 at T0 … j8 at At(7)):
    /// j1 mail/send_email api completed(200)@10 "Alice@Example.com" · j2 mail/send_email cron failed(500)@20 "50% off"
    /// "SMTP Timeout at C:\mail\queue" · j3 reports/build_report api waiting "a_b" · j4 reports/build_report ui delayed
    /// "50x off" "axb" · j5 reports/build_report cron active "Überlingen", updated_by api · j6 external/etl etl-host external run ·
    /// j7 mail/send_email cancelled@30 · j8 mail/send_sms completed(304)@20.
    /// </summary>
    private async Task<(IJobStore Store, Dictionary<string, long> Ids)> SeedJobListAsync()
    {
        var store = await CreateStoreAsync();
        var ids = new Dictionary<string, long>();

        var j1 = await InsertActiveAsync(store, NewJob("send_email", "mail", payload: """{"to":"Alice@Example.com"}""", createdBy: "api"), now: At(0));
        await FinishAsync(store, JobFinish.Complete(j1.Id, Worker1, 1, 200, "SUCCESS", null, null, At(10)));
        ids["j1"] = j1.Id;

        var j2 = await InsertActiveAsync(store, NewJob("send_email", "mail", payload: """{"to":"bob"}""", createdBy: "cron") with { Metadata = """{"note":"50% off"}""" }, now: At(1));
        await FinishAsync(store, JobFinish.DeadLetter(j2.Id, Worker1, 1, 500, "ERROR", @"SMTP Timeout at C:\mail\queue", null, null, At(20)));
        ids["j2"] = j2.Id;

        ids["j3"] = await InsertAsync(store, NewJob("build_report", "reports", runAt: At(2), payload: """{"k":"a_b"}""", createdBy: "api"), At(2));
        ids["j4"] = await InsertAsync(store, NewJob("build_report", "reports", runAt: At(1000), payload: """{"k":"axb"}""", createdBy: "ui")
            with { Metadata = """{"note":"50x off"}""" }, At(3));

        var j5 = await InsertActiveAsync(store, NewJob("build_report", "reports", priority: 10, payload: """{"city":"Überlingen"}""", createdBy: "cron"), now: At(4));
        Assert.Equal([j5.Id], await store.JobProgressSaveManyAsync(new JobProgressSaveManyParams(
            [new JobProgressUpdate { JobId = j5.Id, WorkerId = Worker1, Attempt = 1, ItemsSucceeded = 1, UpdatedBy = "api", At = At(4.5) }])));
        ids["j5"] = j5.Id;

        ids["j6"] = (await store.RunStartAsync(NewRun("etl", queue: "external", now: At(5)) with { CreatedBy = "etl-host" })).Id;

        ids["j7"] = await InsertAsync(store, NewJob("send_email", "mail"), At(6));
        Assert.Equal(JobActionStatus.Done, (await store.JobCancelAsync(new JobCancelParams(ids["j7"], At(30)))).Status);

        var j8 = await InsertActiveAsync(store, NewJob("send_sms", "mail"), now: At(7));
        await FinishAsync(store, JobFinish.Complete(j8.Id, Worker1, 1, 304, "SKIPPED", null, null, At(20)));
        ids["j8"] = j8.Id;

        return (store, ids);
    }

    public static TheoryData<string, string> JobListFilters() => new()
    {
        { "none", "j1,j2,j3,j4,j5,j6,j7,j8" },
        { "queue", "j1,j2,j7,j8" },
        { "name", "j3,j4,j5" },
        { "state:waiting+delayed", "j3,j4" },
        { "state:active", "j5,j6" },
        { "state:failed", "j2" },
        { "state:completed+cancelled", "j1,j7,j8" },
        { "status:500", "j2" },
        { "status:304", "j8" },
        { "source:api", "j1,j3,j5" },
        { "source:cron", "j2,j5" },
        { "source:etl-host", "j6" },
        { "from", "j4,j5,j6,j7,j8" },
        { "to", "j1,j2,j3" },
        { "from+to", "j3,j4,j5" },
        { "finished-from", "j2,j7,j8" },
        { "finished-to", "j1" },
        { "finished-from+to", "j2,j8" },
        { "finished-from+state", "j2" },
        { "text:payload-case", "j1" },
        { "text:error", "j2" },
        { "text:percent", "j2" },
        { "text:percent-alone", "j2" },
        { "text:underscore", "j3" },
        { "text:underscore-alone", "j3" },
        { "text:metadata", "j4" },
        { "text:backslash", "j2" },
        { "text:backslash-alone", "j2" },
        { "text:non-ascii-case", "j5" },
        { "text:none", "" },
        { "external:true", "j6" },
        { "external:false", "j1,j2,j3,j4,j5,j7,j8" },
        { "queue+state", "j1,j8" },
        { "name+source", "j3,j5" },
    };

    private static JobListParams JobListFilter(string filter) => filter switch
    {
        "none" => new(),
        "queue" => new() { Queue = "mail" },
        "name" => new() { Name = "build_report" },
        "state:waiting+delayed" => new() { States = [JobState.Waiting, JobState.Delayed] },
        "state:active" => new() { States = [JobState.Active] },
        "state:failed" => new() { States = [JobState.Failed] },
        "state:completed+cancelled" => new() { States = [JobState.Completed, JobState.Cancelled] },
        "status:500" => new() { StatusCode = 500 },
        "status:304" => new() { StatusCode = 304 },
        "source:api" => new() { Source = "api" },
        "source:cron" => new() { Source = "cron" },
        "source:etl-host" => new() { Source = "etl-host" },
        "from" => new() { From = At(3) },
        "to" => new() { To = At(3) },
        "from+to" => new() { From = At(2), To = At(5) },
        "finished-from" => new() { FinishedFrom = At(20) },
        "finished-to" => new() { FinishedTo = At(20) },
        "finished-from+to" => new() { FinishedFrom = At(15), To = At(30), FinishedTo = At(30) },
        "finished-from+state" => new() { FinishedFrom = At(15), States = [JobState.Failed] },
        "text:payload-case" => new() { Text = "alice@EXAMPLE" },
        "text:error" => new() { Text = "smtp timeout" },
        "text:percent" => new() { Text = "50% OFF" },
        "text:percent-alone" => new() { Text = "%" },
        "text:underscore" => new() { Text = "a_b" },
        "text:underscore-alone" => new() { Text = "_" },
        "text:metadata" => new() { Text = "50x" },
        "text:backslash" => new() { Text = @"c:\MAIL\" },
        "text:backslash-alone" => new() { Text = @"\" },
        "text:non-ascii-case" => new() { Text = "üBERLINGEN" },
        "text:none" => new() { Text = "no such text anywhere" },
        "external:true" => new() { External = true },
        "external:false" => new() { External = false },
        "queue+state" => new() { Queue = "mail", States = [JobState.Completed] },
        "name+source" => new() { Name = "build_report", Source = "api" },
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    [Theory]
    [MemberData(nameof(JobListFilters))]
    public async Task JobList_FiltersNewestFirst(string filter, string expected)
    {
        var (store, ids) = await SeedJobListAsync();

        var jobs = await store.JobListAsync(JobListFilter(filter) with { Limit = 100 });

        var expectedIds = expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(k => ids[k]).OrderDescending().ToArray();
        Assert.Equal(expectedIds, jobs.Select(j => j.Id).ToArray());
    }

    [Fact]
    public async Task JobList_RecentlyFinished_OrdersByFinishedAtThenIdAndExcludesUnfinished()
    {
        var (store, ids) = await SeedJobListAsync();

        var jobs = await store.JobListAsync(new JobListParams { Order = JobListOrder.RecentlyFinished, Limit = 100 });

        // j7@30, then j2@20 and j8@20 (tie: higher id first), then j1@10.
        Assert.Equal(new[] { ids["j7"], ids["j8"], ids["j2"], ids["j1"] }, jobs.Select(j => j.Id));
        var filtered = await store.JobListAsync(new JobListParams { Order = JobListOrder.RecentlyFinished, Queue = "mail", States = [JobState.Completed] });
        Assert.Equal(new[] { ids["j8"], ids["j1"] }, filtered.Select(j => j.Id));
        var window = await store.JobListAsync(new JobListParams { Order = JobListOrder.RecentlyFinished, FinishedFrom = At(20), FinishedTo = At(30) });
        Assert.Equal(new[] { ids["j8"], ids["j2"] }, window.Select(j => j.Id));
    }

    [Fact]
    public async Task JobList_HonoursLimit()
    {
        var (store, ids) = await SeedJobListAsync();

        Assert.Equal(new[] { ids["j8"], ids["j7"], ids["j6"] }, (await store.JobListAsync(new JobListParams { Limit = 3 })).Select(j => j.Id));
    }

    [Fact]
    public async Task JobList_ReturnsFullRecords()
    {
        var (store, ids) = await SeedJobListAsync();
        var listed = Assert.Single(await store.JobListAsync(new JobListParams { States = [JobState.Failed] }));
        var stored = await GetAsync(store, ids["j2"]);

        Assert.Equal(stored.Name, listed.Name);
        Assert.Equal(stored.Queue, listed.Queue);
        Assert.Equal(@"SMTP Timeout at C:\mail\queue", listed.LastError);
        Assert.Equal(500, listed.StatusCode);
        AssertTime(At(20), listed.FinishedAt);
        AssertJson("""{"note":"50% off"}""", listed.Metadata);
    }

    [Theory]
    [InlineData(JobListOrder.Newest, 1)]
    [InlineData(JobListOrder.Newest, 4)]
    [InlineData(JobListOrder.Newest, 7)]
    [InlineData(JobListOrder.RecentlyFinished, 1)]
    [InlineData(JobListOrder.RecentlyFinished, 3)]
    [InlineData(JobListOrder.RecentlyFinished, 5)]
    public async Task JobList_KeysetPagingWalksEveryJobOnce(JobListOrder order, int pageSize)
    {
        var store = await CreateStoreAsync();
        // 30 jobs; 24 finished at only 5 distinct instants, so pages split runs of equal finished_at.
        var expected = new List<(long Id, DateTimeOffset? FinishedAt)>();
        for (var i = 0; i < 30; i++)
        {
            var job = await InsertActiveAsync(store, NewJob($"job{i % 4}"), now: At(i));
            DateTimeOffset? finishedAt = null;
            if (i % 5 != 4)
            {
                finishedAt = At(100 + i * 7 % 5);
                await FinishAsync(store, JobFinish.Complete(job.Id, Worker1, 1, 200, "SUCCESS", null, null, finishedAt.Value));
            }
            expected.Add((job.Id, finishedAt));
        }
        var expectedIds = order == JobListOrder.Newest
            ? expected.OrderByDescending(j => j.Id).Select(j => j.Id).ToArray()
            : expected.Where(j => j.FinishedAt is not null).OrderByDescending(j => j.FinishedAt).ThenByDescending(j => j.Id).Select(j => j.Id).ToArray();

        var seen = new List<long>();
        JobListCursor? cursor = null;
        for (var page = 0; page < 100; page++)
        {
            var jobs = await store.JobListAsync(new JobListParams { Order = order, After = cursor, Limit = pageSize });
            Assert.True(jobs.Count <= pageSize);
            if (jobs.Count == 0) break;
            seen.AddRange(jobs.Select(j => j.Id));
            var last = jobs[^1];
            cursor = new JobListCursor(last.Id, order == JobListOrder.RecentlyFinished ? last.FinishedAt : null);
        }

        Assert.Equal(expectedIds, seen);
    }

    [Fact]
    public async Task JobList_KeysetPagingKeepsTheFilter()
    {
        var (store, ids) = await SeedJobListAsync();

        var first = await store.JobListAsync(new JobListParams { Queue = "mail", Limit = 3 });
        var second = await store.JobListAsync(new JobListParams { Queue = "mail", Limit = 3, After = new JobListCursor(first[^1].Id) });

        Assert.Equal(new[] { ids["j8"], ids["j7"], ids["j2"] }, first.Select(j => j.Id));
        Assert.Equal(new[] { ids["j1"] }, second.Select(j => j.Id));
    }
}
