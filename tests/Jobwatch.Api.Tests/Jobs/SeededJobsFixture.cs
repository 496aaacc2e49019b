using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Client;
using Jobwatch.Model;
using Jobwatch.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>
/// One server holding one job in every state, with distinct queues, names, codes, sources and texts, so each search
/// filter has something to keep and something to drop. Read-only for the tests that share it.
/// </summary>
public sealed class SeededJobsFixture : IAsyncLifetime
{
    public ApiTestServer Server { get; private set; } = null!;
    public long Completed { get; private set; }
    public long Delayed { get; private set; }
    public long Failed470 { get; private set; }
    public long Failed500 { get; private set; }
    public long Active { get; private set; }
    public long Cancelled { get; private set; }
    public long Waiting { get; private set; }
    public long External { get; private set; }

    public async Task InitializeAsync()
    {
        Server = await ApiTestServer.StartAsync();
        var jobs = Server.Jobs;
        Completed = await jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("hello-alpha"),
            new EnqueueOptions { CreatedBy = "seed-a", Metadata = new { tenant = "acme" } });
        Delayed = await jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("later"), new EnqueueOptions { Delay = TimeSpan.FromHours(1), CreatedBy = "seed-b" });
        Failed470 = await jobs.EnqueueAsync(FailHandler.Name, new FailArgs(470, "kaput-xyz"));
        Failed500 = await jobs.EnqueueAsync(FailHandler.Name, new FailArgs(500, "boom"));
        Active = await jobs.EnqueueAsync(CountingHandler.Name, new CountArgs(10));
        Cancelled = await jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("never"), new EnqueueOptions { Delay = TimeSpan.FromHours(1) });
        await jobs.CancelAsync(Cancelled);
        await jobs.PauseQueueAsync("held");
        Waiting = await jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("held back"), new EnqueueOptions { Queue = "held" });

        await using (var run = await Server.Services.GetRequiredService<IRunReporter>().StartAsync(new RunOptions { Name = "ext_import", CreatedBy = "seed-ext" }))
        {
            run.SetUpdatedBy("seed-updater");
            External = run.Id;
            await run.CompleteAsync();
        }

        await Server.WaitForJobAsync(Completed, j => j.State == JobState.Completed, "completed");
        await Server.WaitForJobAsync(Failed470, j => j.State == JobState.Failed, "failed");
        await Server.WaitForJobAsync(Failed500, j => j.State == JobState.Failed, "failed");
        await Server.WaitForJobAsync(Active, j => j.State == JobState.Active, "active");
        await Server.WaitForJobAsync(External, j => j.State == JobState.Completed, "completed");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public long[] All => [Completed, Delayed, Failed470, Failed500, Active, Cancelled, Waiting, External];
}
