using System.Diagnostics;
using Jobwatch.Storage;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// Puts <c>--jobs</c> jobs in the store, or finds the ones an earlier run left there (<c>--reuse</c>).
/// Jobs go in through the store's own batch insert (<see cref="IJobStore.JobInsertManyAsync"/>), so ids,
/// defaults and created entries are the store's; an <see cref="IFillFinisher"/> then gives each the
/// final state the generator chose.
/// </summary>
public static class ApiFill
{
    /// <summary>Bump when the generated data changes, so a reused store from an older version is refused, not silently measured.</summary>
    public const int Version = 1;
    private const int BatchSize = 5_000;

    public static async Task<(FillMarker Marker, bool Reused)> EnsureAsync(BenchOptions o, IJobStore store, IFillFinisher finisher, string where)
    {
        if (await finisher.ReadMarkerAsync() is { } marker)
        {
            if (marker.Version != Version || marker.Jobs != o.Jobs)
            {
                throw new UsageException($"{where} holds a fill of {marker.Jobs} jobs made by fill version {marker.Version}; this run wants " +
                    $"{o.Jobs} jobs of version {Version}. Use --jobs {marker.Jobs}, or another store (delete the file or drop the schema to refill).");
            }
            return (marker, true);
        }
        if (await finisher.CountJobsAsync() is var existing and > 0)
        {
            throw new UsageException($"{where} already holds {existing} jobs that no api fill put there; measure on an empty store (a new file or schema).");
        }

        var started = Stopwatch.GetTimestamp();
        var now = DateTimeOffset.UtcNow;
        var generator = new FillGenerator(o.Jobs, now);
        var batch = new List<FilledJob>(BatchSize);
        for (var i = 0; i < o.Jobs; i += batch.Count)
        {
            batch.Clear();
            for (var k = i; k < Math.Min(o.Jobs, i + BatchSize); k++)
            {
                batch.Add(generator.Next(k));
            }
            var ids = await store.JobInsertManyAsync(new JobInsertManyParams(batch.Select(j => j.Insert).ToArray(), now));
            await finisher.FinishAsync(ids, batch);
            if ((i + batch.Count) % 100_000 < BatchSize)
            {
                Console.Error.WriteLine($"fill: {i + batch.Count} of {o.Jobs} jobs, {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
            }
        }
        var seconds = ProcessStats.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
        var filled = new FillMarker(Version, o.Jobs, FillGenerator.Seed, now, seconds);
        await finisher.CompleteAsync(filled);
        return (filled with { FillSeconds = ProcessStats.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1) }, false);
    }
}
