using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobwatch.Benchmarks.Scenarios;
using static Jobwatch.Benchmarks.ProcessStats;

namespace Jobwatch.Benchmarks.Compare;

/// <summary>
/// The latency workload on Hangfire.PostgreSql: a running <see cref="Hangfire.BackgroundJobServer"/> with
/// <c>--workers</c> workers, job <i>i</i> enqueued at start + <i>i</i>/rate, latency from just before the enqueue
/// call to the job's start (with <c>--delay-ms</c>: scheduled that far ahead, from when it fell due). Same field names as
/// Jobwatch's line.
/// </summary>
public static class HangfireLatency
{
    private const int PrimeJobs = 200;

    public static async Task<JsonObject> RunAsync(BenchOptions o, PostgresTarget server)
    {
        var wall = Stopwatch.GetTimestamp();
        using var hangfire = HangfireTarget.Create(server, o);
        var total = checked(o.Rate * o.Seconds);
        var json = new JsonObject
        {
            ["scenario"] = "latency",
            ["system"] = "hangfire",
            ["storage"] = server.Kind,
            ["rate"] = o.Rate,
            ["seconds"] = o.Seconds,
            ["workers"] = o.Workers,
            ["warmup_jobs"] = Math.Min(o.WarmupJobs, 500),
            ["fetch_batch"] = 1,
            ["outcome_batch"] = 1,
            ["poll_ms"] = o.HangfirePollMs,
            ["delay_ms"] = o.DelayMs,
        };
        var delay = TimeSpan.FromMilliseconds(o.DelayMs);
        await hangfire.WarmUpAsync(Math.Min(o.WarmupJobs, 500), o.Workers);

        var probe = new BenchProbe(total);
        HangfireNoop.Probe = probe;
        var sentAt = new long[total];
        var enqueueTicks = new long[total];
        using (hangfire.StartServer(HangfireTarget.Queue, o.Workers))
        {
            for (var i = 0; i < PrimeJobs; i++)
            {
                hangfire.Enqueue(-1, HangfireTarget.Queue);
                await Task.Delay(1);
            }
            var primed = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
            while (probe.Warmups < PrimeJobs && Stopwatch.GetTimestamp() < primed)
            {
                await Task.Delay(10);
            }

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
                if (o.DelayMs > 0)
                {
                    hangfire.Schedule(i, HangfireTarget.Queue, delay);
                }
                else
                {
                    hangfire.Enqueue(i, HangfireTarget.Queue);
                }
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

            var latencies = LatencyScenario.Latencies(probe, sentAt, sent, delay);
            json["sent"] = sent;
            json["started"] = latencies.Count;
            json["achieved_rate"] = Math.Round(sent / p0.SecondsUntil(p1), 1);
            LatencyScenario.WritePercentiles(json, latencies, enqueueTicks.Take(sent));
            json["duplicates"] = probe.Duplicates();
            p0.WriteDelta(json, "", p2, sent);
        }
        json["elapsed_seconds"] = Round(Stopwatch.GetElapsedTime(wall).TotalSeconds);
        hangfire.Describe(json);
        WriteEnvironment(json);
        await server.DescribeAsync(json);
        json["pg_schema"] = hangfire.Schema;
        return json;
    }
}
