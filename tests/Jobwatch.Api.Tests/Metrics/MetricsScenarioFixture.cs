using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Client;
using Jobwatch.Model;
using Jobwatch.Runs;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Api.Tests.Metrics;

/// <summary>
/// Real jobs through a real server, each outcome once: a completion, a retry then completion with items and
/// sources, a dead-lettered job retried singly and in bulk then deleted, a cancelled job, a stalled job, a
/// paused queue, a delayed job and an external run. Then one scrape of <c>/metrics</c>.
/// </summary>
public sealed class MetricsScenarioFixture : IAsyncLifetime
{
    public const string Scanner = "METRICS-SCANNER";
    public const string Cron = "cron";

    public ApiTestServer Server { get; private set; } = null!;
    public IReadOnlyDictionary<string, Family> Metrics { get; private set; } = null!;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public async Task InitializeAsync()
    {
        Server = await ApiTestServer.StartAsync(o => o.Services = s => MetricsTestSetup.Apply(s));
        var jobs = Server.Jobs;

        var echo = await jobs.EnqueueAsync(new EchoArgs(), new() { CreatedBy = Scanner });
        await Server.WaitForJobAsync(echo, j => j.State == JobState.Completed, "completed");

        var flaky = await jobs.EnqueueAsync(new FlakyArgs(), new() { CreatedBy = Scanner });
        await Server.WaitForJobAsync(flaky, j => j.State == JobState.Completed, "completed after a retry");

        var doomed = await jobs.EnqueueAsync(new FailArgs(470));
        await Server.WaitForJobAsync(doomed, j => j.State == JobState.Failed, "dead-lettered");
        await jobs.RetryAsync(doomed);
        await WaitForAttemptsAsync(doomed, 2);
        Assert.Single(await jobs.RetryDeadLettersAsync(new DeadLetterFilter { Queue = "critical" }));
        await WaitForAttemptsAsync(doomed, 3);
        Assert.True(await jobs.DeleteAsync(doomed));

        var parked = await jobs.EnqueueAsync(new EchoArgs(), new() { Queue = "nowhere" });
        await jobs.CancelAsync(parked);
        await jobs.EnqueueAsync(new EchoArgs(), new() { Queue = "nowhere" });
        await jobs.EnqueueAsync(new EchoArgs(), new() { Queue = "nowhere", Delay = TimeSpan.FromHours(1) });
        await jobs.PauseQueueAsync("frozen");
        await jobs.EnqueueAsync(new EchoArgs(), new() { Queue = "frozen" });
        await jobs.EnqueueAsync(new EchoArgs(), new() { Queue = "frozen" });

        await StallAsync();

        await using (var run = await Server.Services.GetRequiredService<IRunReporter>().StartAsync(new RunOptions { Name = "nightly_import", CreatedBy = Cron }))
        {
            run.ItemSucceeded(5);
            await run.CompleteAsync();
        }

        Metrics = await Server.ScrapeAsync();
    }

    /// <summary>A job leased by a worker that then died (through the store, under a foreign worker id), in a queue nobody serves; the rescuer returns it to waiting.</summary>
    private async Task StallAsync()
    {
        var store = Server.Services.GetRequiredService<IJobStore>();
        var now = DateTimeOffset.UtcNow;
        var ids = await store.JobInsertManyAsync(new JobInsertManyParams(
            [new JobInsertParams { Queue = "orphans", Name = EchoHandler.Name, Type = EchoHandler.Name, Payload = "{}", MaxAttempts = 3, RunAt = now }], now));
        Assert.Single(await store.JobFetchAvailableAsync(new JobFetchParams("orphans", 1, "dead-worker", now, now + TimeSpan.FromMilliseconds(200))));
        await Server.WaitForJobAsync(ids[0], j => j.State == JobState.Waiting && j.StalledCount == 1, "rescued");
    }

    /// <summary>Waits until the job's timeline shows <paramref name="deadLetters"/> dead-letterings (retries reset its attempt count).</summary>
    private async Task WaitForAttemptsAsync(long id, int deadLetters)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Server.Monitor.GetJobAsync(id))?.Timeline.Count(t => t.Kind == JobTimelineKinds.DeadLettered) < deadLetters)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Job {id} was not dead-lettered {deadLetters} times within 30 s.");
            await Task.Delay(25);
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
