using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Jobwatch.Benchmarks.Scenarios;

/// <summary>
/// How close one-by-one enqueue comes to the database's cheapest durable commit. A caller that awaits each enqueue
/// makes one commit per job, so that commit is its ceiling; on a shared disk the ceiling moves by 2× within minutes,
/// so the two are measured in alternating slices, each slice of one right after a slice of the other, and compared
/// over the same stretch of time.
/// </summary>
public static class CommitFloor
{
    private const int Rounds = 20, Slice = 200;

    /// <summary>
    /// Adds <c>commit_floor_per_sec</c> (trivial one-row commits a second on one connection),
    /// <c>store_insert_interleaved_per_sec</c> (the store's insert of one job, called directly),
    /// <c>enqueue_interleaved_per_sec</c> (one caller's <c>EnqueueAsync</c>), each over its own slices, and
    /// <c>enqueue_vs_commit_floor</c>. The store's figure splits the gap between the statement and the client's
    /// own work. Does nothing for a store without a probe.
    /// </summary>
    public static async Task CompareAsync(JsonObject json, StorageTarget storage, Func<Task> storeInsert, Func<Task> enqueue)
    {
        await using var probe = await storage.OpenCommitProbeAsync();
        if (probe is null)
        {
            return;
        }
        for (var i = 0; i < Slice; i++)
        {
            await probe.CommitAsync();
        }
        double commitSeconds = 0, storeSeconds = 0, enqueueSeconds = 0;
        for (var round = 0; round < Rounds; round++)
        {
            commitSeconds += await TimeAsync(probe.CommitAsync);
            storeSeconds += await TimeAsync(storeInsert);
            enqueueSeconds += await TimeAsync(enqueue);
        }
        var floor = Rounds * Slice / commitSeconds;
        var enqueued = Rounds * Slice / enqueueSeconds;
        json["commit_floor_per_sec"] = Math.Round(floor);
        json["store_insert_interleaved_per_sec"] = Math.Round(Rounds * Slice / storeSeconds);
        json["enqueue_interleaved_per_sec"] = Math.Round(enqueued);
        json["enqueue_vs_commit_floor"] = Math.Round(enqueued / floor, 2);
    }

    private static async Task<double> TimeAsync(Func<Task> operation)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Slice; i++)
        {
            await operation();
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
