using System.Diagnostics;
using System.Globalization;
using Jobwatch.Handlers;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Server.Demo;

/// <summary>Seed 002's scoring run: every validator, in batches.</summary>
public sealed record ScoringArgs(int Validators, int BatchSize);

public static class Scoring
{
    public const string Job = "scoringAllValidators";
    public const string Type = "score";
    public const string Queue = "validatorQueue";
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(45);
}

/// <summary>
/// Scores validators batch by batch, reporting seed 002's custom progress
/// (<c>batchNumber, totalBatches, batchSize, progress "150/250", successRate "98.7%"</c>) and one log line per batch with the same fields.
/// </summary>
public sealed partial class ScoringHandler : IJobHandler<ScoringArgs>
{
    public async Task<JobResult> HandleAsync(ScoringArgs args, JobContext context, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var totalBatches = (args.Validators + args.BatchSize - 1) / args.BatchSize;
        context.SetTotal(args.Validators);
        long succeeded = 0, failed = 0;
        for (var batch = 1; batch <= totalBatches; batch++)
        {
            var size = Math.Min(args.BatchSize, args.Validators - (batch - 1) * args.BatchSize);
            // Seed 002 scores a batch in parallel, then pauses briefly so the database is not overwhelmed.
            await Task.Delay(Random.Shared.Next(1200, 2200), ct);
            var batchFailed = Enumerable.Range(0, size).Count(_ => Random.Shared.NextDouble() < 0.015);
            succeeded += size - batchFailed;
            failed += batchFailed;
            context.ItemSucceeded(size - batchFailed);
            if (batchFailed > 0)
            {
                context.ItemFailed(batchFailed);
            }

            var progress = $"{succeeded + failed}/{args.Validators}";
            var successRate = Percent(succeeded, succeeded + failed);
            context.ReportCustom(new { batchNumber = batch, totalBatches, batchSize = args.BatchSize, progress, successRate });
            BatchProcessed(context.Logger, progress, batch, totalBatches, args.BatchSize, successRate);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var summary = new
        {
            successCount = succeeded,
            failCount = failed,
            scoringRunId = $"run-{context.JobId}",
            totalDuration = string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0}s"),
            avgTimePerValidator = string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds / Math.Max(1, args.Validators):0.0}ms"),
            successRate = Percent(succeeded, succeeded + failed),
        };
        Scored(context.Logger, summary.successCount, summary.failCount, summary.scoringRunId, summary.totalDuration, summary.avgTimePerValidator, summary.successRate);
        return JobResult.Success(summary);
    }

    private static string Percent(long part, long whole) =>
        string.Create(CultureInfo.InvariantCulture, $"{(whole == 0 ? 100 : 100.0 * part / whole):0.0}%");

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "Processed {Progress} validators (batch {BatchNumber}/{TotalBatches}, size {BatchSize}), success rate {SuccessRate}, phase {Phase}")]
    private static partial void BatchProcessed(ILogger logger, string progress, int batchNumber, int totalBatches, int batchSize, string successRate, string phase = "validator-processing");

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information,
        Message = "Scoring finished: {SuccessCount} scored, {FailCount} failed, run {ScoringRunId} in {TotalDuration} ({AvgTimePerValidator} per validator), success rate {SuccessRate}, phase {Phase}")]
    private static partial void Scored(ILogger logger, long successCount, long failCount, string scoringRunId, string totalDuration, string avgTimePerValidator, string successRate, string phase = "scored");
}
