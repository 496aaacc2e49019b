using System.Diagnostics;
using System.Runtime;
using Jobwatch.Client;

namespace Jobwatch.Benchmarks;

/// <summary>
/// Runs jobs through a throwaway host on throwaway storage (a fresh temp file for <c>sqlite</c>; its own
/// queue otherwise) before the measured host is built. JIT-compiled and tiered-up code is shared by the
/// whole process, so the measurement sees the steady state a long-running service has, not start-up.
/// </summary>
/// <remarks>
/// One pass is not enough: the runtime starts counting calls for tier-up only once no new method has
/// been compiled for a while (100 ms), which never happens during a busy pass. Measured with one pass,
/// a 10-second latency run compiled ~2,000 methods (2 s of JIT on a 2-core machine) and a drain ~600.
/// So passes repeat, each after a pause, until one compiles next to nothing.
/// </remarks>
public static class Warmup
{
    private const int MaxRounds = 8;
    private const int QuietMethods = 25;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(300);

    /// <summary>Returns the passes it took (0 with <c>--warmup-jobs 0</c>).</summary>
    public static async Task<int> RunAsync(BenchOptions o)
    {
        if (o.WarmupJobs == 0)
        {
            return 0;
        }
        using var storage = StorageFactory.Create(o.Storage);
        var probe = new BenchProbe(1);
        await using var host = await BenchHost.CreateAsync(o with { TraceStore = false }, storage, probe);
        var done = 0;
        for (var round = 1; ; round++)
        {
            var compiled = JitInfo.GetCompiledMethodCount();
            // The first pass enqueues before the engine starts (as the throughput run does), later ones alongside it (as the latency run does).
            await EnqueueAsync(host.Client, o.WarmupJobs);
            if (round == 1)
            {
                await host.StartAsync();
            }
            done += o.WarmupJobs;
            await WaitForAsync(host, probe, done);
            await Task.Delay(Pause);
            var jitted = JitInfo.GetCompiledMethodCount() - compiled;
            Console.Error.WriteLine($"warm-up pass {round}: {jitted} methods compiled");
            if (round == MaxRounds || jitted < QuietMethods)
            {
                await SettleAsync();
                return round;
            }
        }
    }

    /// <summary>Lets tier-up compilations already queued finish (a loaded machine starves the background compiler), up to 5 s.</summary>
    private static async Task SettleAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
        var last = JitInfo.GetCompiledMethodCount();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(Pause);
            var now = JitInfo.GetCompiledMethodCount();
            if (now == last)
            {
                return;
            }
            last = now;
        }
    }

    private static async Task EnqueueAsync(IJobClient client, int jobs)
    {
        var single = Math.Min(jobs, 300);
        for (var i = 0; i < single; i++)
        {
            await client.EnqueueAsync(NoopHandler.Name, new BenchArgs(-1));
        }
        for (var start = single; start < jobs; start += 500)
        {
            var batch = new JobEnqueueRequest[Math.Min(500, jobs - start)];
            for (var k = 0; k < batch.Length; k++)
            {
                batch[k] = new JobEnqueueRequest(NoopHandler.Name, new BenchArgs(-1));
            }
            await client.EnqueueManyAsync(batch);
        }
    }

    private static async Task WaitForAsync(BenchHost host, BenchProbe probe, int jobs)
    {
        var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline && (probe.Warmups < jobs || (await host.CountsAsync()).Completed < jobs))
        {
            await Task.Delay(20);
        }
    }
}
