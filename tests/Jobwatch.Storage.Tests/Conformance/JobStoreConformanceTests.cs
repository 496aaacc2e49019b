using System.Text.Json.Nodes;
using Jobwatch.Model;
using Jobwatch.StatusCodes;

namespace Jobwatch.Storage.Tests.Conformance;

/// <summary>
/// The storage conformance suite (River's <c>riverdrivertest</c>): every <see cref="IJobStore"/> backend
/// subclasses this class and supplies <see cref="CreateStoreAsync"/>; the tests are the XML docs of
/// <see cref="IJobStore"/> written as executable checks. Split by area into partial files.
/// </summary>
/// <remarks>
/// The store never reads a clock: every test passes explicit times built from <see cref="T0"/>.
/// Times are whole milliseconds, and are compared with a 1 ms tolerance (backends may keep
/// microseconds and may normalise the offset to UTC).
/// </remarks>
public abstract partial class JobStoreConformanceTests
{
    /// <summary>A fresh, migrated, empty store. Called once (or more) per test.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync();

    protected const string DefaultQueue = "default";
    protected const string Worker1 = "worker-1";
    protected const string Worker2 = "worker-2";
    protected const string StalledLabel = "STALLED";

    /// <summary>The suite's "now": a fixed instant far from the machine's clock, so a store that reads the clock fails.</summary>
    protected static readonly DateTimeOffset T0 = new(2031, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);
    protected static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    protected static DateTimeOffset At(double seconds) => T0.AddMilliseconds(Math.Round(seconds * 1000));

    // ---- building jobs -------------------------------------------------------------------

    protected static JobInsertParams NewJob(
        string name = "test_job",
        string queue = DefaultQueue,
        int priority = 0,
        DateTimeOffset? runAt = null,
        int maxAttempts = 1,
        string payload = "{}",
        string? createdBy = null) => new()
        {
            Queue = queue,
            Name = name,
            Type = name,
            Payload = payload,
            Priority = priority,
            MaxAttempts = maxAttempts,
            RunAt = runAt ?? T0,
            CreatedBy = createdBy,
        };

    protected static async Task<long> InsertAsync(IJobStore store, JobInsertParams job, DateTimeOffset? now = null)
    {
        var ids = await store.JobInsertManyAsync(new JobInsertManyParams([job], now ?? T0));
        return Assert.Single(ids);
    }

    protected static Task<IReadOnlyList<long>> InsertManyAsync(IJobStore store, DateTimeOffset now, params JobInsertParams[] jobs) =>
        store.JobInsertManyAsync(new JobInsertManyParams(jobs, now));

    protected static JobFetchParams Fetch(string queue = DefaultQueue, int max = 10, string worker = Worker1, DateTimeOffset? now = null)
    {
        var at = now ?? T0;
        return new JobFetchParams(queue, max, worker, at, at + LeaseDuration);
    }

    /// <summary>Fetches exactly one job, asserting that exactly one was available.</summary>
    protected static async Task<JobRecord> FetchOneAsync(IJobStore store, string worker = Worker1, DateTimeOffset? now = null, string queue = DefaultQueue)
    {
        var fetched = await store.JobFetchAvailableAsync(Fetch(queue, 1, worker, now));
        return Assert.Single(fetched);
    }

    /// <summary>Inserts one waiting job (at <paramref name="now"/>) and fetches it: the job is then active, attempt 1.</summary>
    protected static async Task<JobRecord> InsertActiveAsync(IJobStore store, JobInsertParams? job = null, string worker = Worker1, DateTimeOffset? now = null)
    {
        var at = now ?? T0;
        job ??= NewJob();
        var id = await InsertAsync(store, job with { RunAt = at }, at);
        var fetched = await FetchOneAsync(store, worker, at, job.Queue);
        Assert.Equal(id, fetched.Id);
        return fetched;
    }

    protected static async Task<JobRecord> InsertCompletedAsync(IJobStore store, JobInsertParams? job = null, DateTimeOffset? now = null, int statusCode = JobStatusCodes.Success)
    {
        var at = now ?? T0;
        var active = await InsertActiveAsync(store, job, Worker1, at);
        await FinishAsync(store, JobFinish.Complete(active.Id, Worker1, active.Attempt, statusCode, "SUCCESS", null, null, at.AddSeconds(1)));
        return await GetAsync(store, active.Id);
    }

    protected static async Task<JobRecord> InsertFailedAsync(IJobStore store, JobInsertParams? job = null, DateTimeOffset? now = null,
        int statusCode = JobStatusCodes.InternalError, string error = "boom", DateTimeOffset? failedAt = null)
    {
        var at = now ?? T0;
        var active = await InsertActiveAsync(store, job, Worker1, at);
        await FinishAsync(store, JobFinish.DeadLetter(active.Id, Worker1, active.Attempt, statusCode, "ERROR", error, "at Handler()", null, failedAt ?? at.AddSeconds(1)));
        return await GetAsync(store, active.Id);
    }

    protected static async Task<JobRecord> InsertCancelledAsync(IJobStore store, JobInsertParams? job = null, DateTimeOffset? now = null)
    {
        var at = now ?? T0;
        var id = await InsertAsync(store, (job ?? NewJob()) with { RunAt = at }, at);
        var result = await store.JobCancelAsync(new JobCancelParams(id, at.AddSeconds(1)));
        Assert.Equal(JobActionStatus.Done, result.Status);
        return await GetAsync(store, id);
    }

    /// <summary>Applies one finish and asserts that its guard held.</summary>
    protected static async Task FinishAsync(IJobStore store, JobFinish finish)
    {
        var done = await store.JobFinishManyAsync(new JobFinishManyParams([finish], finish.At));
        Assert.Equal([finish.JobId], done);
    }

    protected static JobRescueParams Rescue(DateTimeOffset now, int maxStalledCount = 5, int limit = 1000) =>
        new(now, maxStalledCount, JobStatusCodes.Stalled, StalledLabel, limit);

    protected static RunStartParams NewRun(string name = "external_run", string owner = "reporter-1", DateTimeOffset? now = null, string queue = "external") => new()
    {
        Queue = queue,
        Name = name,
        Type = name,
        OwnerId = owner,
        Now = now ?? T0,
        LeaseUntil = (now ?? T0) + LeaseDuration,
    };

    // ---- reading back ---------------------------------------------------------------------

    protected static async Task<JobRecord> GetAsync(IJobStore store, long id)
    {
        var job = await store.JobGetAsync(id);
        Assert.NotNull(job);
        return job;
    }

    protected static async Task<IReadOnlyList<string>> TimelineKindsAsync(IJobStore store, long id) =>
        (await store.JobTimelineListAsync(id)).Select(e => e.Kind).ToArray();

    // ---- assertions -----------------------------------------------------------------------

    protected static void AssertTime(DateTimeOffset expected, DateTimeOffset? actual)
    {
        Assert.NotNull(actual);
        var delta = (actual.Value - expected).Duration();
        Assert.True(delta <= TimeSpan.FromMilliseconds(1), $"Expected {expected:O}, got {actual.Value:O} (off by {delta.TotalMilliseconds} ms).");
    }

    /// <summary>JSON is compared by value: a backend may store it as jsonb and re-format it.</summary>
    protected static void AssertJson(string expected, string? actual)
    {
        Assert.NotNull(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected JSON {expected}, got {actual}.");
    }

    /// <summary>The parts of a job a rejected operation must not change.</summary>
    protected static void AssertUnchanged(JobRecord before, JobRecord after)
    {
        Assert.Equal(before.State, after.State);
        Assert.Equal(before.Attempt, after.Attempt);
        Assert.Equal(before.WorkerId, after.WorkerId);
        Assert.Equal(before.StatusCode, after.StatusCode);
        Assert.Equal(before.StalledCount, after.StalledCount);
        Assert.Equal(before.LastError, after.LastError);
        Assert.Equal(before.Result, after.Result);
        Assert.Equal(before.ItemsSucceeded, after.ItemsSucceeded);
        Assert.Equal(before.ItemsFailed, after.ItemsFailed);
        Assert.Equal(before.RunAt, after.RunAt);
        Assert.Equal(before.FinishedAt, after.FinishedAt);
        Assert.Equal(before.LeaseUntil, after.LeaseUntil);
    }
}
