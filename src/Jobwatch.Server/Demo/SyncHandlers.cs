using Jobwatch.Handlers;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Server.Demo;

/// <summary>Seed 001's route syncs: how many routes to sync and how long each takes.</summary>
public sealed record SyncArgs(int Routes, int MillisecondsPerRoute);

/// <summary>Seed 001's job names: several names per type, each with a priority in its metadata.</summary>
public static class Syncs
{
    public const string Queue = "sync";
    public const string TickType = "tick_sync";
    public const string CommentType = "comment_sync";
    public const string CreatedBy = "woulder-scheduler";

    /// <summary>Name, type, priority, routes, ms per route and how often the demo starts one: long enough to watch (20–40 s), short enough to finish.</summary>
    public static readonly IReadOnlyList<SyncPlan> Plans =
    [
        new("high_priority_tick_sync", TickType, "high", 240, 100, TimeSpan.FromSeconds(60)),
        new("high_priority_comment_sync", CommentType, "high", 160, 120, TimeSpan.FromSeconds(60)),
        new("medium_priority_tick_sync", TickType, "medium", 400, 100, TimeSpan.FromSeconds(120)),
        new("medium_priority_comment_sync", CommentType, "medium", 300, 110, TimeSpan.FromSeconds(120)),
    ];
}

public sealed record SyncPlan(string Name, string Type, string Priority, int Routes, int MillisecondsPerRoute, TimeSpan Every);

/// <summary>Syncs routes one by one: SetTotal, then ItemSucceeded/ItemFailed per route, so the monitor shows %, rate and ETA.</summary>
public sealed partial class SyncHandler : IJobHandler<SyncArgs>
{
    public async Task<JobResult> HandleAsync(SyncArgs args, JobContext context, CancellationToken ct)
    {
        context.SetTotal(args.Routes);
        var quarter = Math.Max(1, args.Routes / 4);
        long failed = 0;
        for (var i = 1; i <= args.Routes; i++)
        {
            await Task.Delay(args.MillisecondsPerRoute, ct);
            // Roughly one route in a hundred has no data upstream; the sync carries on (seed 001's items_failed).
            if (Random.Shared.NextDouble() < 0.01)
            {
                context.ItemFailed();
                failed++;
            }
            else
            {
                context.ItemSucceeded();
            }
            if (i % quarter == 0 && i < args.Routes)
            {
                Synced(context.Logger, i, args.Routes, failed);
            }
        }
        return JobResult.Success(new { routes = args.Routes, succeeded = args.Routes - failed, failed });
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Synced {Processed}/{Total} routes ({Failed} failed), phase {Phase}")]
    private static partial void Synced(ILogger logger, int processed, int total, long failed, string phase = "syncing");
}
