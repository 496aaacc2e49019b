using System.Text.Json.Nodes;

namespace Jobwatch.Benchmarks.Compare;

/// <summary>Runs the peer named by <c>--compare</c> and puts <c>ratio_vs_hangfire</c> (Jobwatch ÷ Hangfire, per field) on Jobwatch's line.</summary>
public static class Comparison
{
    private static readonly string[] ThroughputFields = ["drain_per_sec", "enqueue_per_sec", "enqueue_batch_per_sec"];
    private static readonly string[] LatencyFields = ["p50_ms", "p99_ms"];

    /// <summary>Fails before anything runs when the peer cannot run on this storage.</summary>
    public static void Check(BenchOptions o, StorageTarget storage)
    {
        if (o.Compare is not null && storage is not PostgresTarget)
        {
            throw new UsageException("--compare hangfire runs Hangfire.PostgreSql on the same server: use it with --storage postgres:<connection string>.");
        }
    }

    public static async Task<JsonObject?> RunAsync(BenchOptions o, StorageTarget storage, JsonObject jobwatch)
    {
        if (o.Compare is null || storage is not PostgresTarget server)
        {
            return null;
        }
        JsonObject hangfire;
        try
        {
            hangfire = o.Scenario == "throughput"
                ? await HangfireThroughput.RunAsync(o, server)
                : await HangfireLatency.RunAsync(o, server);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Jobwatch's figures stand on their own: report the peer's failure and keep them.
            Console.Error.WriteLine($"hangfire run failed: {ex.GetBaseException().Message}");
            jobwatch["ratio_vs_hangfire"] = null;
            return null;
        }
        var ratios = new JsonObject();
        foreach (var field in o.Scenario == "throughput" ? ThroughputFields : LatencyFields)
        {
            ratios[field] = Ratio(jobwatch[field], hangfire[field]);
        }
        jobwatch["ratio_vs_hangfire"] = ratios;
        return hangfire;
    }

    /// <summary>Null when either side has no figure (Hangfire has no batched enqueue) or the divisor is 0.</summary>
    private static double? Ratio(JsonNode? ours, JsonNode? theirs)
    {
        if (ours is null || theirs is null)
        {
            return null;
        }
        var divisor = theirs.GetValue<double>();
        return divisor == 0 ? null : Math.Round(ours.GetValue<double>() / divisor, 2);
    }
}
