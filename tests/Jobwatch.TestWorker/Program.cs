using Jobwatch;
using Jobwatch.Client;
using Jobwatch.Storage;
using Jobwatch.TestWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: (--db PATH | --storage postgres:CONNECTION_STRING [--schema NAME]) (--ledger-dir DIR [--concurrency N] [--lease-ms N] [--rescue-ms N] [--poll-ms N]
//        [--max-stalled N] [--shutdown-ms N] [--sleep-override-ms N] | --enqueue N [--batch-size N] [--job-sleep-ms MIN] [--job-sleep-max-ms MAX])
var options = WorkerArgs.Parse(args);

if (options.Enqueue is { } count)
{
    await EnqueueAsync(options, count);
    return 0;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(new Ledger(options.LedgerDir!));
options.UseStorage(builder.Services.AddJobwatch(options.Apply))
    .AddHandler<LedgerJobHandler, LedgerJobArgs>(LedgerJobHandler.Name);

using var host = builder.Build();
await host.StartAsync();
// The test waits for this line: the engine has migrated and its workers are fetching.
Console.WriteLine("READY");
await host.WaitForShutdownAsync();
return 0;

static async Task EnqueueAsync(WorkerArgs options, int count)
{
    var services = new ServiceCollection();
    services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole());
    services.AddSingleton(options);
    options.UseStorage(services.AddJobwatch(o => o.RunWorkers = false))
        .AddHandler<LedgerJobHandler, LedgerJobArgs>(LedgerJobHandler.Name);
    await using var provider = services.BuildServiceProvider();
    await provider.GetRequiredService<IJobStore>().MigrateAsync();
    var client = provider.GetRequiredService<IJobClient>();

    var max = Math.Max(options.JobSleepMs, options.JobSleepMaxMs ?? options.JobSleepMs);
    for (var done = 0; done < count;)
    {
        var batch = Enumerable.Range(0, Math.Min(options.BatchSize, count - done))
            .Select(_ => new JobEnqueueRequest(LedgerJobHandler.Name, new LedgerJobArgs(Random.Shared.Next(options.JobSleepMs, max + 1))))
            .ToArray();
        await client.EnqueueManyAsync(batch);
        done += batch.Length;
    }
    Console.WriteLine($"ENQUEUED {count}");
}
