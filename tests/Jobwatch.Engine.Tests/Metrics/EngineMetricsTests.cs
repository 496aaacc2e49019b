using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Observability;
using Jobwatch.Storage;
using Jobwatch.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Engine.Tests.Metrics;

/// <summary>What the engine measures, seen through a MeterListener on the host's Jobwatch Meter.</summary>
public sealed class EngineMetricsTests(ITestOutputHelper output)
{
    private const string StorageOperation = "jobwatch.storage.operation.duration";

    [Fact]
    public async Task The_engines_storage_calls_are_timed_through_the_decorator_by_operation()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("quick", (_, _, _) => Task.FromResult(JobResult.Success())), start: false);
        using var recorder = new MeasurementRecorder(host.Services);
        await host.StartAsync();
        var id = await host.EnqueueAsync("quick");
        await host.WaitForStateAsync(id, JobState.Completed);
        await Eventually.UntilAsync(() => recorder.Of("jobwatch.jobs.completed").Count == 1, "the completion to be counted");

        // Enqueue (client), fetch (worker), finish (outcome writer), election (leader), migration (engine start).
        foreach (var operation in new[] { "job_insert_many", "job_fetch_available", "job_finish_many", "leader_attempt_elect", "migrate" })
        {
            Assert.NotEmpty(recorder.Of(StorageOperation, ("operation", operation), ("status", "ok")));
        }
        Assert.All(recorder.Of(StorageOperation), m => Assert.True(m.Value >= 0));
        Assert.Empty(recorder.Of(StorageOperation, ("status", "error")));
    }

    [Fact]
    public async Task A_failing_store_call_is_an_error_and_a_call_its_caller_cancelled_is_not_counted()
    {
        await using var host = await EngineHost.StartAsync(output, _ => { }, start: false);
        using var recorder = new MeasurementRecorder(host.Services);
        var metrics = host.Services.GetRequiredService<JobwatchMetrics>();
        var missingFolder = Path.Combine(Path.GetTempPath(), "jobwatch-no-such-folder-" + Guid.NewGuid().ToString("N"), "jobs.db");
        using var broken = new SqliteJobStore(new SqliteStoreOptions { ConnectionString = $"Data Source={missingFolder};Mode=ReadWrite" });
        var failing = new InstrumentedJobStore(broken, metrics);

        await Assert.ThrowsAnyAsync<Exception>(() => failing.JobGetAsync(1));
        var error = Assert.Single(recorder.Of(StorageOperation, ("operation", "job_get")));
        Assert.Equal("error", error.Tags["status"]);

        await host.Store.MigrateAsync();
        var working = new InstrumentedJobStore(host.Store, metrics);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => working.JobListAsync(new JobListParams(), cancelled.Token));
        Assert.Empty(recorder.Of(StorageOperation, ("operation", "job_list")));
        await working.JobListAsync(new JobListParams());
        Assert.Equal("ok", Assert.Single(recorder.Of(StorageOperation, ("operation", "job_list"))).Tags["status"]);
    }

    [Fact]
    public async Task A_job_cancelled_while_running_is_counted_as_cancelled_and_its_stale_outcome_not_at_all()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("long", async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return JobResult.Success();
        }), start: false);
        using var recorder = new MeasurementRecorder(host.Services);
        await host.StartAsync();
        var id = await host.EnqueueAsync("long");
        await Eventually.WithinAsync(started.Task, "the handler to start");

        await host.Client.CancelAsync(id);
        await Eventually.UntilAsync(() => host.Running.Count == 0, "the runner to let go of the job");

        var tags = new[] { ("queue", "default"), ("job_name", "long") };
        Assert.Equal(1, recorder.Sum("jobwatch.jobs.enqueued", tags));
        Assert.Equal(1, recorder.Sum("jobwatch.jobs.started", tags));
        Assert.Equal(1, recorder.Sum("jobwatch.jobs.cancelled", tags));
        Assert.Empty(recorder.Of("jobwatch.jobs.completed"));
        Assert.Empty(recorder.Of("jobwatch.jobs.failed"));
        Assert.Empty(recorder.Of("jobwatch.jobs.by_status_code"));
        Assert.Empty(recorder.Of("jobwatch.job.duration"));
    }

    [Fact]
    public async Task A_job_stalled_past_MaxStalledCount_is_counted_stalled_failed_and_dead_lettered_with_the_stalled_code()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Configure(o => o.MaxStalledCount = 0)
            .Handle("cursed", (_, _, _) => Task.FromResult(JobResult.Success())), start: false);
        using var recorder = new MeasurementRecorder(host.Services);
        await host.Store.MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var ids = await host.Store.JobInsertManyAsync(new JobInsertManyParams(
            [new JobInsertParams { Queue = "default", Name = "cursed", Type = "cursed", Payload = "{}", MaxAttempts = 3, RunAt = now }], now));
        Assert.Single(await host.Store.JobFetchAvailableAsync(new JobFetchParams("default", 1, "dead-worker", now, now + TimeSpan.FromMilliseconds(200))));

        await host.StartAsync();
        await host.WaitForStateAsync(ids[0], JobState.Failed);
        await Eventually.UntilAsync(() => recorder.Of("jobwatch.jobs.dead_lettered").Count == 1, "the dead-lettering to be counted");

        var tags = new[] { ("queue", "default"), ("job_name", "cursed") };
        Assert.Equal(1, recorder.Sum("jobwatch.jobs.stalled", tags));
        Assert.Equal(1, recorder.Sum("jobwatch.jobs.failed", tags));
        Assert.Empty(recorder.Of("jobwatch.jobs.retried"));
        var code = Assert.Single(recorder.Of("jobwatch.jobs.by_status_code"));
        Assert.Equal(("default", "503", "STALLED", host.WorkerId), (code.Tags["queue"], code.Tags["status_code"], code.Tags["status_label"], code.Tags["worker_id"]));
    }
}
