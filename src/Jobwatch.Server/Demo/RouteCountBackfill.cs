using Jobwatch.Engine;
using Jobwatch.Runs;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Server.Demo;

/// <summary>
/// Seed 001's route_count_backfill as work Jobwatch does not execute, only tracks: started through
/// <see cref="IRunReporter"/>, reported item by item (every report is a heartbeat), completed, then started again later.
/// </summary>
public sealed partial class RouteCountBackfill(IRunReporter runs, ILogger<RouteCountBackfill> logger)
{
    public const string Name = "route_count_backfill";
    public const string Queue = "external";
    private const int Areas = 300;
    private static readonly TimeSpan PerArea = TimeSpan.FromMilliseconds(60);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(30);

    public async Task RunRepeatedlyAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stopping);
                await Task.Delay(Pause, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                BackfillError(logger, ex, Name);
                await Task.Delay(Pause, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken stopping)
    {
        // Disposing a run that was neither completed nor failed fails it, so even an unexpected exit leaves nothing "running".
        await using var run = await runs.StartAsync(new RunOptions
        {
            Name = Name,
            Type = "backfill",
            Queue = Queue,
            TotalItems = Areas,
            CreatedBy = "woulder-cron",
            Metadata = new { priority = "low", source = "demo" },
        }, stopping);
        using var scope = logger.BeginScope(new JobLogScope(run.Id, Name, run.Job.Type, Queue, run.Job.Attempt));
        RunStarted(logger, Name, Areas);
        run.SetUpdatedBy("ROUTE-COUNT-BACKFILL");
        long failed = 0;
        try
        {
            for (var i = 0; i < Areas; i++)
            {
                await Task.Delay(PerArea, stopping);
                if (Random.Shared.NextDouble() < 0.005)
                {
                    run.ItemFailed();
                    failed++;
                }
                else
                {
                    run.ItemSucceeded();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // On shutdown the run is failed now, while the engine can still record it, rather than left to be marked stalled later.
            await run.FailAsync($"The server stopped after {run.Progress.ItemsProcessed}/{Areas} areas; the next run starts over.");
            RunStopped(logger, Name, run.Progress.ItemsProcessed, Areas);
            throw;
        }
        await run.CompleteAsync(result: new { areas = Areas, failed });
        RunCompleted(logger, Name, Areas - failed, failed);
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "External run {JobName} started for {Total} areas, phase {Phase}")]
    private static partial void RunStarted(ILogger logger, string jobName, int total, string phase = "started");

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "External run {JobName} completed: {Succeeded} areas updated, {Failed} failed, phase {Phase}")]
    private static partial void RunCompleted(ILogger logger, string jobName, long succeeded, long failed, string phase = "completed");

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "External run {JobName} stopped by shutdown after {Processed}/{Total} areas and was marked failed, phase {Phase}")]
    private static partial void RunStopped(ILogger logger, string jobName, long processed, int total, string phase = "failed");

    [LoggerMessage(EventId = 2304, Level = LogLevel.Error, Message = "External run {JobName} broke off; trying again later")]
    private static partial void BackfillError(ILogger logger, Exception exception, string jobName);
}
