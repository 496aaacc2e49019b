using System.Diagnostics;
using System.Text.Json.Nodes;
using static Jobwatch.Benchmarks.ProcessStats;

namespace Jobwatch.Benchmarks.Compare;

/// <summary>
/// The throughput workload on Hangfire.PostgreSql, with the same field names as Jobwatch's line: one-by-one enqueue
/// into a queue no server serves, no batched enqueue (Hangfire has no batch API: the fields are null), then a
/// <see cref="Hangfire.BackgroundJobServer"/> with <c>--workers</c> workers drains <c>--jobs</c> no-op jobs.
/// </summary>
public static class HangfireThroughput
{
    private const int PrimeJobs = 200;
    /// <summary>Clients that fill the drain queue, outside every measurement (one by one would take minutes).</summary>
    private const int FillClients = 8;

    public static async Task<JsonObject> RunAsync(BenchOptions o, PostgresTarget server)
    {
        var wall = Stopwatch.GetTimestamp();
        using var hangfire = HangfireTarget.Create(server, o);
        var json = new JsonObject
        {
            ["scenario"] = "throughput",
            ["system"] = "hangfire",
            ["storage"] = server.Kind,
            ["jobs"] = o.Jobs,
            ["workers"] = o.Workers,
            ["warmup_jobs"] = Math.Min(o.WarmupJobs, 500),
            // Hangfire fetches one job per worker per query and commits each state change on its own.
            ["fetch_batch"] = 1,
            ["outcome_batch"] = 1,
            ["poll_ms"] = o.HangfirePollMs,
            ["enqueue_batch_size"] = null,
        };
        await hangfire.WarmUpAsync(Math.Min(o.WarmupJobs, 500), o.Workers);
        for (var i = 0; i < PrimeJobs; i++)
        {
            hangfire.Enqueue(-1, HangfireTarget.ParkedQueue);
        }

        var single = o.EnqueueJobs ?? o.Jobs;
        var s0 = Now();
        for (var i = 0; i < single; i++)
        {
            hangfire.Enqueue(-1, HangfireTarget.ParkedQueue);
        }
        var s1 = Now();
        json["enqueue_jobs"] = single;
        json["enqueue_per_sec"] = Rate(single, s0, s1);
        json["enqueue_seconds"] = Round(s0.SecondsUntil(s1));
        s0.WriteDelta(json, "enqueue_", s1, single, gc: false);
        json["enqueue_batch_per_sec"] = null;
        json["enqueue_batch_seconds"] = null;

        var fill = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, o.Jobs, new ParallelOptions { MaxDegreeOfParallelism = FillClients },
            (i, _) =>
            {
                hangfire.Enqueue(i, HangfireTarget.Queue);
                return ValueTask.CompletedTask;
            });
        json["fill_seconds"] = Round(Stopwatch.GetElapsedTime(fill).TotalSeconds);
        var probe = new BenchProbe(o.Jobs);
        HangfireNoop.Probe = probe;
        var baseline = hangfire.Monitoring.SucceededListCount();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var d0 = Now();
        var backgroundServer = hangfire.StartServer(HangfireTarget.Queue, o.Workers);
        var started = Stopwatch.GetElapsedTime(d0.Timestamp).TotalSeconds;
        var succeeded = await WaitForDrainAsync(hangfire, probe, baseline, o.Jobs, TimeSpan.FromSeconds(o.TimeoutSeconds));
        var d1 = Now();
        var failed = hangfire.Monitoring.FailedCount();
        json["drain_per_sec"] = Rate((int)Math.Min(succeeded, o.Jobs), d0, d1);
        json["drain_seconds"] = Round(d0.SecondsUntil(d1));
        json["engine_start_seconds"] = Round(started);
        json["handlers_done_seconds"] = probe.LastRun == 0 ? null : Round(Stopwatch.GetElapsedTime(d0.Timestamp, probe.LastRun).TotalSeconds);
        json["completed"] = succeeded;
        json["failed"] = failed;
        json["lost"] = Math.Max(0, o.Jobs - succeeded);
        json["duplicates"] = probe.Duplicates();
        json["executions"] = probe.TotalExecutions();
        d0.WriteDelta(json, "drain_", d1, o.Jobs);

        var stop = Stopwatch.GetTimestamp();
        backgroundServer.Dispose();
        json["stop_seconds"] = Round(Stopwatch.GetElapsedTime(stop).TotalSeconds);
        json["elapsed_seconds"] = Round(Stopwatch.GetElapsedTime(wall).TotalSeconds);
        hangfire.Describe(json);
        WriteEnvironment(json);
        await server.DescribeAsync(json);
        json["pg_schema"] = hangfire.Schema;
        return json;
    }

    /// <summary>Like Jobwatch's: the succeeded count every second while handlers run, then every 10 ms (or the count's own duration) once they all have.</summary>
    private static async Task<long> WaitForDrainAsync(HangfireTarget hangfire, BenchProbe probe, long baseline, int jobs, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        long done = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (!probe.AllRan.IsCompleted)
            {
                await Task.WhenAny(probe.AllRan, Task.Delay(TimeSpan.FromSeconds(1)));
            }
            var asked = Stopwatch.GetTimestamp();
            done = hangfire.Monitoring.SucceededListCount() - baseline;
            if (done >= jobs)
            {
                return done;
            }
            if (probe.AllRan.IsCompleted)
            {
                await Task.Delay(Scenarios.ThroughputScenario.CountPause(asked));
            }
        }
        Console.Error.WriteLine($"hangfire: gave up after {timeout.TotalSeconds:0} s: {probe.Distinct} of {jobs} jobs ran, {done} committed succeeded");
        return hangfire.Monitoring.SucceededListCount() - baseline;
    }

    private static double Rate(int jobs, ProcessStats from, ProcessStats to)
    {
        var seconds = from.SecondsUntil(to);
        return seconds > 0 ? Math.Round(jobs / seconds, 0) : 0;
    }
}
