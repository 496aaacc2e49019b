using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobwatch.Client;
using Jobwatch.Storage;
using static Jobwatch.Benchmarks.ProcessStats;

namespace Jobwatch.Benchmarks.Scenarios;

/// <summary>
/// Three phases on one host: enqueue one by one (to a queue nobody serves), enqueue in batches (the jobs
/// to drain), then start the engine and time until every job is committed as completed.
/// </summary>
public static class ThroughputScenario
{
    private const int PrimeJobs = 200;

    public static async Task<JsonObject> RunAsync(BenchOptions o, StorageTarget storage)
    {
        var wall = Stopwatch.GetTimestamp();
        var warmupRounds = await Warmup.RunAsync(o);
        var probe = new BenchProbe(o.Jobs);
        var host = await BenchHost.CreateAsync(o, storage, probe);
        var json = new JsonObject
        {
            ["scenario"] = "throughput",
            ["system"] = "jobwatch",
            ["storage"] = storage.Kind,
            ["jobs"] = o.Jobs,
            ["workers"] = o.Workers,
            ["warmup_jobs"] = o.WarmupJobs,
            ["warmup_rounds"] = warmupRounds,
            ["fetch_batch"] = host.Effective.FetchBatchSize,
            ["outcome_batch"] = host.Effective.OutcomeBatchSize,
            ["poll_ms"] = host.Effective.PollInterval.TotalMilliseconds,
            ["enqueue_batch_size"] = o.BatchSize,
        };
        try
        {
            var client = host.Client;
            var parked = new EnqueueOptions { Queue = BenchHost.ParkedQueue };
            await PrimeAsync(client, parked);

            var single = o.EnqueueJobs ?? o.Jobs;
            host.Timings?.Reset();
            var s0 = Now();
            // Each caller awaits one EnqueueAsync after the other, as a request handler or a loop does; several callers
            // are several such requests at once, whose commits the database may flush together.
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, o.EnqueueCallers).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) < single)
                {
                    await client.EnqueueAsync(NoopHandler.Name, new BenchArgs(-1), parked);
                }
            }));
            var s1 = Now();
            json["enqueue_jobs"] = single;
            json["enqueue_callers"] = o.EnqueueCallers;
            json["enqueue_per_sec"] = Rate(single, s0, s1);
            json["enqueue_seconds"] = Round(s0.SecondsUntil(s1));
            s0.WriteDelta(json, "enqueue_", s1, single, gc: false);
            TakeTimings(host, json, "store_enqueue");
            var parkedJob = new JobInsertParams
            {
                Queue = BenchHost.ParkedQueue, Name = NoopHandler.Name, Type = NoopHandler.Name, Payload = "{\"i\":-1}", RunAt = DateTimeOffset.UtcNow,
            };
            await CommitFloor.CompareAsync(json, storage,
                () => host.Store.JobInsertManyAsync(new JobInsertManyParams([parkedJob], DateTimeOffset.UtcNow)),
                () => client.EnqueueAsync(NoopHandler.Name, new BenchArgs(-1), parked));
            var b0 = Now();

            for (var start = 0; start < o.Jobs; start += o.BatchSize)
            {
                var batch = new JobEnqueueRequest[Math.Min(o.BatchSize, o.Jobs - start)];
                for (var k = 0; k < batch.Length; k++)
                {
                    batch[k] = new JobEnqueueRequest(NoopHandler.Name, new BenchArgs(start + k));
                }
                await client.EnqueueManyAsync(batch);
            }
            var s2 = Now();
            json["enqueue_batch_per_sec"] = Rate(o.Jobs, b0, s2);
            json["enqueue_batch_seconds"] = Round(b0.SecondsUntil(s2));
            b0.WriteDelta(json, "enqueue_batch_", s2, o.Jobs, gc: false);
            TakeTimings(host, json, "store_enqueue_batch");

            // The drain should not pay for the enqueue phases' garbage.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            var d0 = Now();
            await host.StartAsync();
            var started = Stopwatch.GetElapsedTime(d0.Timestamp).TotalSeconds;
            var counts = await WaitForDrainAsync(host, probe, o.Jobs, TimeSpan.FromSeconds(o.TimeoutSeconds));
            var d1 = Now();
            json["drain_per_sec"] = Rate((int)Math.Min(counts.Completed, o.Jobs), d0, d1);
            json["drain_seconds"] = Round(d0.SecondsUntil(d1));
            json["engine_start_seconds"] = Round(started);
            json["handlers_done_seconds"] = probe.LastRun == 0 ? null : Round(Stopwatch.GetElapsedTime(d0.Timestamp, probe.LastRun).TotalSeconds);
            json["completed"] = counts.Completed;
            json["failed"] = counts.Failed;
            json["lost"] = Math.Max(0, o.Jobs - counts.Completed);
            json["duplicates"] = probe.Duplicates();
            json["executions"] = probe.TotalExecutions();
            d0.WriteDelta(json, "drain_", d1, o.Jobs);
            TakeTimings(host, json, "store_drain");
            await host.Observers.DescribeAsync(json);

            var stop = Stopwatch.GetTimestamp();
            await host.DisposeAsync();
            json["stop_seconds"] = Round(Stopwatch.GetElapsedTime(stop).TotalSeconds);
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

    /// <summary>Opens this host's store connections and prepares its enqueue statements, outside every measurement.</summary>
    private static async Task PrimeAsync(IJobClient client, EnqueueOptions parked)
    {
        for (var i = 0; i < PrimeJobs; i++)
        {
            await client.EnqueueAsync(NoopHandler.Name, new BenchArgs(-1), parked);
        }
        var batch = Enumerable.Range(0, PrimeJobs).Select(_ => new JobEnqueueRequest(NoopHandler.Name, new BenchArgs(-1), parked)).ToArray();
        await client.EnqueueManyAsync(batch);
    }

    /// <summary>
    /// Waits until the store shows every job completed. Handlers are counted in memory at no cost; the
    /// store is queried every second until they have all run (to notice jobs that fail instead), then
    /// every 10 ms until their outcomes are committed, but never more than half the time: on a large
    /// table the count takes tens of milliseconds, and back-to-back counts would load the server they measure.
    /// </summary>
    private static async Task<QueueCounts> WaitForDrainAsync(BenchHost host, BenchProbe probe, int jobs, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var counts = new QueueCounts { Queue = host.Queue };
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (!probe.AllRan.IsCompleted)
            {
                await Task.WhenAny(probe.AllRan, Task.Delay(TimeSpan.FromSeconds(1)));
            }
            var asked = Stopwatch.GetTimestamp();
            counts = await host.CountsAsync();
            if (counts.Completed + counts.Failed + counts.Cancelled >= jobs)
            {
                return counts;
            }
            if (probe.AllRan.IsCompleted)
            {
                await Task.Delay(CountPause(asked));
            }
        }
        Console.Error.WriteLine($"gave up after {timeout.TotalSeconds:0} s: {probe.Distinct} of {jobs} jobs ran, {counts.Completed} committed completed");
        return await host.CountsAsync();
    }

    /// <summary>10 ms, or as long as the last count took if that was longer.</summary>
    public static TimeSpan CountPause(long askedAt)
    {
        var took = Stopwatch.GetElapsedTime(askedAt);
        return took > TimeSpan.FromMilliseconds(10) ? took : TimeSpan.FromMilliseconds(10);
    }

    private static void TakeTimings(BenchHost host, JsonObject json, string field)
    {
        if (host.Timings is { } timings)
        {
            json[field] = timings.ToJson();
            timings.Reset();
        }
    }

    private static double Rate(int jobs, ProcessStats from, ProcessStats to)
    {
        var seconds = from.SecondsUntil(to);
        return seconds > 0 ? Math.Round(jobs / seconds, 0) : 0;
    }
}
