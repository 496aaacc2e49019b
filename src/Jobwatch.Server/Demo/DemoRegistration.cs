using Jobwatch.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Server.Demo;

/// <summary>Registers the demo's handlers, status codes and producer (<c>--demo</c>).</summary>
public static class DemoRegistration
{
    /// <summary>Queue sizes that suit the demo on a small machine; configuration may still change them.</summary>
    public static void ConfigureQueues(JobwatchOptions o)
    {
        o.Queues[Osint.GuildsQueue] = new QueueOptions { Concurrency = 2 };
        o.Queues[Osint.CharactersQueue] = new QueueOptions { Concurrency = 4 };
        o.Queues[Syncs.Queue] = new QueueOptions { Concurrency = 4 };
        // Seed 002 scores with concurrency 3 inside one job; one scoring run at a time.
        o.Queues[Scoring.Queue] = new QueueOptions { Concurrency = 1 };
        o.Queues[Events.Queue] = new QueueOptions { Concurrency = 4 };
    }

    public static JobwatchBuilder AddDemo(this JobwatchBuilder jobwatch)
    {
        jobwatch.AddDemoStatusCodes()
            .AddHandler<GuildHandler, GuildArgs>(Osint.GuildJob, o =>
            {
                o.Queue = Osint.GuildsQueue;
                o.Type = Osint.Type;
                o.MaxAttempts = 3;
                o.Timeout = TimeSpan.FromSeconds(30);
            })
            .AddHandler<CharacterHandler, CharacterArgs>(Osint.CharacterJob, o =>
            {
                o.Queue = Osint.CharactersQueue;
                o.Type = Osint.Type;
                o.MaxAttempts = 3;
                o.Timeout = TimeSpan.FromSeconds(30);
            })
            .AddHandler<ScoringHandler, ScoringArgs>(Scoring.Job, o =>
            {
                o.Queue = Scoring.Queue;
                o.Type = Scoring.Type;
                o.MaxAttempts = 2;
                o.Timeout = TimeSpan.FromMinutes(2);
            })
            .AddHandler<EventConsumerHandler, InboundEvent>(Events.Job, o =>
            {
                o.Queue = Events.Queue;
                o.Type = Events.Type;
                o.MaxAttempts = Events.MaxAttempts;
                o.Timeout = TimeSpan.FromSeconds(30);
            });
        foreach (var plan in Syncs.Plans)
        {
            jobwatch.AddHandler<SyncHandler, SyncArgs>(plan.Name, o =>
            {
                o.Queue = Syncs.Queue;
                o.Type = plan.Type;
                o.MaxAttempts = 2;
                o.Timeout = TimeSpan.FromMinutes(5);
                o.Priority = plan.Priority == "high" ? 10 : 5;
            });
        }
        jobwatch.Services.AddSingleton<RouteCountBackfill>();
        jobwatch.Services.AddHostedService<DemoWorkload>();
        return jobwatch;
    }
}
