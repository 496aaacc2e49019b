using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwatch.Server.Demo;

/// <summary>
/// Keeps the demo alive: a few jobs a second (OSINT guilds and characters, events), a long sync or a scoring run
/// every minute or so, and the external backfill, so the monitor and metrics always have something live.
/// </summary>
public sealed partial class DemoWorkload(
    IJobClient jobs, RouteCountBackfill backfill, IOptions<JobwatchOptions> options, TimeProvider time, ILogger<DemoWorkload> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    private static readonly string[] Guilds = ["Blood Legion", "Method", "Echo", "Liquid", "Pieces", "Honor", "Vodka"];

    private readonly Dictionary<string, DateTimeOffset> _lastStarted = new(StringComparer.Ordinal);
    private long _events;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
        WorkloadStarted(logger);
        if (!options.Value.RunWorkers)
        {
            NoWorkers(logger);
        }
        var backfillLoop = backfill.RunRepeatedlyAsync(stopping);
        using var timer = new PeriodicTimer(Tick, time);
        var tick = 0L;
        try
        {
            do
            {
                try
                {
                    await ProduceAsync(tick++, stopping);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A busy database or a bad job must not end the demo; the next tick tries again.
                    EnqueueFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        // Wait for the backfill to record its run as failed while the engine is still up.
        await backfillLoop;
        WorkloadStopped(logger);
    }

    private async Task ProduceAsync(long tick, CancellationToken ct)
    {
        var batch = new List<JobEnqueueRequest>();
        // The first tick starts one of everything, so every family shows up at once.
        if (tick == 0 || Random.Shared.NextDouble() < 0.25)
        {
            batch.Add(NewGuild());
        }
        if (tick == 0 || Random.Shared.NextDouble() < 0.2)
        {
            batch.Add(NewCharacterRequest());
        }
        if (tick % 2 == 0)
        {
            var e = Events.Make(++_events);
            batch.Add(new JobEnqueueRequest(Events.Job, e, new EnqueueOptions { CreatedBy = Events.CreatedBy(e), Metadata = new { consumerType = e.ConsumerType } }));
        }
        var now = time.GetUtcNow();
        foreach (var plan in Syncs.Plans)
        {
            if (Due(plan.Name, plan.Every, now))
            {
                batch.Add(new JobEnqueueRequest(plan.Name, new SyncArgs(plan.Routes, plan.MillisecondsPerRoute),
                    new EnqueueOptions { CreatedBy = Syncs.CreatedBy, Metadata = new { priority = plan.Priority } }));
            }
        }
        if (Due(Scoring.Job, Scoring.Every, now))
        {
            batch.Add(new JobEnqueueRequest(Scoring.Job, new ScoringArgs(Validators: 250, BatchSize: 50),
                new EnqueueOptions { CreatedBy = "validator-scheduler", Metadata = new { trigger = "repeat" } }));
        }
        if (batch.Count > 0)
        {
            await jobs.EnqueueManyAsync(batch, ct);
        }
    }

    private bool Due(string name, TimeSpan every, DateTimeOffset now)
    {
        if (_lastStarted.TryGetValue(name, out var last) && now - last < every)
        {
            return false;
        }
        _lastStarted[name] = now;
        return true;
    }

    private static JobEnqueueRequest NewGuild()
    {
        var name = Guilds[Random.Shared.Next(Guilds.Length)];
        var realm = Osint.Realms[Random.Shared.Next(Osint.Realms.Length)];
        // One guild in ten is outside the EU and is skipped with 305 NOT_EU_REGION.
        var region = Random.Shared.NextDouble() < 0.1 ? "us" : "eu";
        var guid = $"{name.Replace(' ', '-').ToLowerInvariant()}@{realm}";
        return new JobEnqueueRequest(Osint.GuildJob, new GuildArgs(guid, name, realm, region), new EnqueueOptions { CreatedBy = Osint.GuildRequest });
    }

    private static JobEnqueueRequest NewCharacterRequest()
    {
        var realm = Osint.Realms[Random.Shared.Next(Osint.Realms.Length)];
        var name = $"char{Random.Shared.Next(1000, 9999)}";
        var fetch = Random.Shared.NextDouble() < 0.4 ? "all" : Osint.Parts[Random.Shared.Next(Osint.Parts.Length)];
        return new JobEnqueueRequest(Osint.CharacterJob, new CharacterArgs($"{name}@{realm}", name, realm, fetch), new EnqueueOptions { CreatedBy = Osint.CharacterRequest });
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Demo workload started: OSINT guilds and characters, route syncs, validator scoring, an event consumer and an external backfill")]
    private static partial void WorkloadStarted(ILogger logger);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Warning, Message = "Workers are off (--no-workers): demo jobs wait until a worker process serves their queues")]
    private static partial void NoWorkers(ILogger logger);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Demo workload stopped")]
    private static partial void WorkloadStopped(ILogger logger);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "The demo could not enqueue this tick's jobs; trying again on the next tick")]
    private static partial void EnqueueFailed(ILogger logger, Exception exception);
}
