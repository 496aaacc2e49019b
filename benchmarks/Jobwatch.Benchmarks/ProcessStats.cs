using System.Diagnostics;
using System.Runtime;
using System.Text.Json.Nodes;

namespace Jobwatch.Benchmarks;

/// <summary>Process counters at one moment; the difference of two covers a phase (GC, CPU, allocations).</summary>
public readonly record struct ProcessStats(long Timestamp, TimeSpan Cpu, int Gen0, int Gen1, int Gen2, long Allocated, TimeSpan GcPause,
    long JitMethods, TimeSpan JitTime)
{
    public static ProcessStats Now()
    {
        using var self = Process.GetCurrentProcess();
        return new(Stopwatch.GetTimestamp(), self.TotalProcessorTime, GC.CollectionCount(0), GC.CollectionCount(1),
            GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: false), GC.GetTotalPauseDuration(),
            System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
    }

    public double SecondsUntil(ProcessStats later) => Stopwatch.GetElapsedTime(Timestamp, later.Timestamp).TotalSeconds;

    /// <summary>
    /// Adds the counters from this moment to <paramref name="end"/> under <paramref name="prefix"/>.
    /// With <paramref name="jobs"/>, also CPU per job: unlike wall time, it barely changes when other
    /// processes load the machine, so it is the figure to compare across runs on a shared machine.
    /// </summary>
    public void WriteDelta(JsonObject json, string prefix, ProcessStats end, int jobs = 0, bool gc = true)
    {
        var seconds = SecondsUntil(end);
        var cpu = (end.Cpu - Cpu).TotalSeconds;
        json[prefix + "cpu_seconds"] = Round(cpu);
        if (jobs > 0)
        {
            json[prefix + "cpu_us_per_job"] = Round(cpu * 1e6 / jobs, 1);
        }
        // 1.0 = one core busy the whole phase; the machine's ceiling is processor_count.
        json[prefix + "cpu_cores_used"] = seconds > 0 ? Round(cpu / seconds, 2) : 0;
        json[prefix + "allocated_mb"] = Round((end.Allocated - Allocated) / 1048576.0, 1);
        // Methods (re)compiled during the phase, tier-ups included: JIT work here is start-up cost
        // the warm-up did not absorb, and it counts in cpu_us_per_job.
        json[prefix + "jit_methods"] = end.JitMethods - JitMethods;
        json[prefix + "jit_ms"] = Round((end.JitTime - JitTime).TotalMilliseconds, 1);
        if (!gc)
        {
            return;
        }
        json[prefix + "gc_gen0"] = end.Gen0 - Gen0;
        json[prefix + "gc_gen1"] = end.Gen1 - Gen1;
        json[prefix + "gc_gen2"] = end.Gen2 - Gen2;
        json[prefix + "gc_pause_ms"] = Round((end.GcPause - GcPause).TotalMilliseconds, 1);
    }

    /// <summary>Fields every result carries: the machine, runtime and peak memory of the whole process.</summary>
    public static void WriteEnvironment(JsonObject json)
    {
        using var self = Process.GetCurrentProcess();
        json["peak_working_set_mb"] = Round(self.PeakWorkingSet64 / 1048576.0, 1);
        json["gc_gen0"] = GC.CollectionCount(0);
        json["gc_gen1"] = GC.CollectionCount(1);
        json["gc_gen2"] = GC.CollectionCount(2);
        json["gc_server"] = GCSettings.IsServerGC;
        json["processor_count"] = Environment.ProcessorCount;
        // The machine is shared: a load above processor_count means the figures are pessimistic.
        json["load_avg_1m"] = LoadAverage();
        json["runtime"] = Environment.Version.ToString();
        json["os"] = Environment.OSVersion.VersionString;
        json["timestamp"] = DateTimeOffset.UtcNow.ToString("O");
    }

    private static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public static double Round(double value, int digits = 3) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
