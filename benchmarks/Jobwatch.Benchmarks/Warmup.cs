using System.Diagnostics;
using Jobwatch.Client;

namespace Jobwatch.Benchmarks;

/// <summary>
/// Runs jobs through a throwaway host on throwaway storage (a fresh temp file for <c>sqlite</c>; its own
/// queue otherwise) before the measured host is built. JIT-compiled and tiered-up code is shared by the
/// whole process, so the measurement sees the steady state a long-running service has, not start-up.
/// </summary>
public static class Warmup
{
    public static async Task RunAsync(BenchOptions o)
    {
        if (o.WarmupJobs == 0)
        {
            return;
        }
        using var storage = StorageFactory.Create(o.Storage);
        var probe = new BenchProbe(o.WarmupJobs);
        await using var host = await BenchHost.CreateAsync(o with { TraceStore = false }, storage, probe);
        var client = host.Client;
        var single = Math.Min(o.WarmupJobs, 300);
        for (var i = 0; i < single; i++)
        {
            await client.EnqueueAsync(NoopHandler.Name, new BenchArgs(i));
        }
        for (var start = single; start < o.WarmupJobs; start += 500)
        {
            var batch = new JobEnqueueRequest[Math.Min(500, o.WarmupJobs - start)];
            for (var k = 0; k < batch.Length; k++)
            {
                batch[k] = new JobEnqueueRequest(NoopHandler.Name, new BenchArgs(start + k));
            }
            await client.EnqueueManyAsync(batch);
        }
        await host.StartAsync();
        var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline && (await host.CountsAsync()).Completed < o.WarmupJobs)
        {
            await Task.WhenAny(probe.AllRan, Task.Delay(50));
        }
    }
}
