using System.Diagnostics;
using Jobwatch.Handlers;

namespace Jobwatch.Benchmarks;

/// <summary>The job's args: its index in the run's arrays (negative for warm-up jobs, which are not counted).</summary>
public sealed record BenchArgs(int I);

/// <summary>
/// What the handlers observed, per job index: how often each ran and when it first started.
/// Lock-free, so recording costs the handler a few nanoseconds and does not distort the run.
/// </summary>
public sealed class BenchProbe(int jobs)
{
    private readonly int[] _executions = new int[jobs];
    private readonly long[] _firstStart = new long[jobs];
    private readonly TaskCompletionSource _allRan = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _distinct;
    private int _warmups;
    private long _lastRun;

    public int Jobs => jobs;
    public int Distinct => Volatile.Read(ref _distinct);
    public int Warmups => Volatile.Read(ref _warmups);
    /// <summary>Completes when every job index has run at least once.</summary>
    public Task AllRan => _allRan.Task;
    /// <summary>Stopwatch timestamp of the last handler execution (a no-op handler returns right after).</summary>
    public long LastRun => Interlocked.Read(ref _lastRun);

    public void Record(int i, long startTimestamp)
    {
        if (i < 0)
        {
            Interlocked.Increment(ref _warmups);
            return;
        }
        if (Interlocked.Increment(ref _executions[i]) == 1)
        {
            Volatile.Write(ref _firstStart[i], startTimestamp);
            if (Interlocked.Increment(ref _distinct) == jobs)
            {
                _allRan.TrySetResult();
            }
        }
        Interlocked.Exchange(ref _lastRun, Stopwatch.GetTimestamp());
    }

    public long FirstStart(int i) => Volatile.Read(ref _firstStart[i]);

    public long TotalExecutions()
    {
        long total = 0;
        for (var i = 0; i < _executions.Length; i++) total += Volatile.Read(ref _executions[i]);
        return total;
    }

    /// <summary>Executions beyond the first, summed over jobs.</summary>
    public long Duplicates()
    {
        long extra = 0;
        for (var i = 0; i < _executions.Length; i++)
        {
            var n = Volatile.Read(ref _executions[i]);
            if (n > 1) extra += n - 1;
        }
        return extra;
    }
}

/// <summary>A no-op job: records its start and returns success, so the run measures Jobwatch and its store, not work.</summary>
public sealed class NoopHandler(BenchProbe probe) : IJobHandler<BenchArgs>
{
    public const string Name = "bench_noop";

    public Task<JobResult> HandleAsync(BenchArgs args, JobContext context, CancellationToken cancellationToken)
    {
        probe.Record(args.I, Stopwatch.GetTimestamp());
        return Task.FromResult(JobResult.Success());
    }
}
