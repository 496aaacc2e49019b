using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobwatch.Client;
using static Jobwatch.Benchmarks.ProcessStats;

namespace Jobwatch.Benchmarks.Scenarios;

/// <summary>
/// Enqueues at a steady rate with the engine running and measures, per job, the time from just before
/// <c>EnqueueAsync</c> is called to the moment its handler starts. With <c>--delay-ms</c> each job is enqueued that far
/// ahead and measured from the moment it fell due: how late scheduled jobs and retries start.
/// </summary>
public static class LatencyScenario
{
    private const int PrimeJobs = 200;

    public static async Task<JsonObject> RunAsync(BenchOptions o, StorageTarget storage)
    {
        var wall = Stopwatch.GetTimestamp();
        var warmupRounds = await Warmup.RunAsync(o);
        var total = checked(o.Rate * o.Seconds);
        var probe = new BenchProbe(total);
        var sentAt = new long[total];
        var enqueueTicks = new long[total];
        var host = await BenchHost.CreateAsync(o, storage, probe);
        var json = new JsonObject
        {
            ["scenario"] = "latency",
            ["system"] = "jobwatch",
            ["storage"] = storage.Kind,
            ["rate"] = o.Rate,
            ["seconds"] = o.Seconds,
            ["workers"] = o.Workers,
            ["warmup_jobs"] = o.WarmupJobs,
            ["warmup_rounds"] = warmupRounds,
            ["fetch_batch"] = host.Effective.FetchBatchSize,
            ["outcome_batch"] = host.Effective.OutcomeBatchSize,
            ["poll_ms"] = host.Effective.PollInterval.TotalMilliseconds,
            ["delay_ms"] = o.DelayMs,
        };
        var delay = TimeSpan.FromMilliseconds(o.DelayMs);
        var options = o.DelayMs > 0 ? new EnqueueOptions { Delay = delay } : null;
        try
        {
            await host.StartAsync();
            var client = host.Client;
            await PrimeAsync(host, probe);

            host.Timings?.Reset();
            var p0 = Now();
            var sent = 0;
            for (var i = 0; i < total; i++)
            {
                var due = p0.Timestamp + (long)(i * (double)Stopwatch.Frequency / o.Rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
                var before = Stopwatch.GetTimestamp();
                sentAt[i] = before;
                await client.EnqueueAsync(NoopHandler.Name, new BenchArgs(i), options);
                enqueueTicks[i] = Stopwatch.GetTimestamp() - before;
                sent++;
            }
            var p1 = Now();

            var deadline = Stopwatch.GetTimestamp() + (o.TimeoutSeconds + o.DelayMs / 1000) * Stopwatch.Frequency;
            while (probe.Distinct < sent && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.WhenAny(probe.AllRan, Task.Delay(50));
            }
            var p2 = Now();

            var latencies = Latencies(probe, sentAt, sent, delay);
            json["sent"] = sent;
            json["started"] = latencies.Count;
            json["achieved_rate"] = Math.Round(sent / p0.SecondsUntil(p1), 1);
            WritePercentiles(json, latencies, enqueueTicks.Take(sent));
            json["duplicates"] = probe.Duplicates();
            await host.Observers.DescribeAsync(json);
            p0.WriteDelta(json, "", p2, sent);
            if (host.Timings is { } timings)
            {
                json["store"] = timings.ToJson();
            }
        }
        finally
        {
            await host.DisposeAsync();
        }
        json["elapsed_seconds"] = Round(Stopwatch.GetElapsedTime(wall).TotalSeconds);
        WriteEnvironment(json);
        await storage.DescribeAsync(json);
        return json;
    }

    /// <summary>Runs jobs through this host once, so its first connections and prepared statements are not measured.</summary>
    private static async Task PrimeAsync(BenchHost host, BenchProbe probe)
    {
        for (var i = 0; i < PrimeJobs; i++)
        {
            await host.Client.EnqueueAsync(NoopHandler.Name, new BenchArgs(-1));
            await Task.Delay(1);
        }
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (probe.Warmups < PrimeJobs && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Sorted milliseconds from each job's due moment (sent + <paramref name="delay"/>) to its first start.</summary>
    public static List<double> Latencies(BenchProbe probe, long[] sentAt, int sent, TimeSpan delay)
    {
        var delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>(sent);
        for (var i = 0; i < sent; i++)
        {
            var start = probe.FirstStart(i);
            if (start != 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(sentAt[i] + delayTicks, start).TotalMilliseconds);
            }
        }
        latencies.Sort();
        return latencies;
    }

    /// <summary>The latency fields from sorted enqueue-to-start latencies and the enqueue calls' durations (Stopwatch ticks); shared with the Hangfire run.</summary>
    public static void WritePercentiles(JsonObject json, List<double> sortedLatencies, IEnumerable<long> enqueueTicks)
    {
        json["p50_ms"] = Percentile(sortedLatencies, 0.50);
        json["p90_ms"] = Percentile(sortedLatencies, 0.90);
        json["p99_ms"] = Percentile(sortedLatencies, 0.99);
        json["max_ms"] = sortedLatencies.Count == 0 ? null : Round(sortedLatencies[^1]);
        json["mean_ms"] = sortedLatencies.Count == 0 ? null : Round(sortedLatencies.Average());
        var calls = enqueueTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToList();
        json["enqueue_call_p50_ms"] = Percentile(calls, 0.50);
        json["enqueue_call_p99_ms"] = Percentile(calls, 0.99);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double? Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)]);
    }
}
