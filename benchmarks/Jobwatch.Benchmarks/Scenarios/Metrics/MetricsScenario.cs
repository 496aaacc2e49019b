using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobwatch.Client;
using static Jobwatch.Benchmarks.ProcessStats;

namespace Jobwatch.Benchmarks.Scenarios.Metrics;

/// <summary>
/// The cost of a Prometheus scrape at size (issue 6: ≤ 50 ms with 100 queues and 20 status codes in use).
/// Runs <c>--jobs</c> real jobs through <c>--queues</c> queues so that every queue has seen every one of the
/// twenty codes, leaves delayed and waiting jobs (some in paused queues) for the gauges, then times
/// <c>GET /metrics</c> over HTTP, one request at a time on one keep-alive connection, and each half of
/// its work in process: sampling the store, and rendering the text.
/// </summary>
public static class MetricsScenario
{
    public const double TargetP95Ms = 50;

    public static async Task<JsonObject> RunAsync(BenchOptions o, StorageTarget storage)
    {
        var wall = Stopwatch.GetTimestamp();
        var json = new JsonObject
        {
            ["scenario"] = "metrics",
            ["system"] = "jobwatch",
            ["storage"] = storage.Kind,
            ["queues"] = o.Queues,
            ["status_codes"] = MetricsHost.Codes.Length,
            ["jobs"] = o.Jobs,
            ["requests"] = o.Requests,
            ["warmup_requests"] = o.WarmupRequests,
        };
        await using var host = await MetricsHost.StartAsync(o.Queues, storage);
        var f0 = Stopwatch.GetTimestamp();
        await FillAsync(host, o, json);
        json["fill_seconds"] = Round(Stopwatch.GetElapsedTime(f0).TotalSeconds);

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < o.WarmupRequests; i++)
        {
            await ReadScrapeAsync(http, buffer);
        }
        json["load_avg_1m_start"] = LoadAverage();
        var scrape = new List<double>(o.Requests);
        var sample = new List<double>(o.Requests);
        var render = new List<double>(o.Requests);
        var p0 = Now();
        for (var i = 0; i < o.Requests; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await ReadScrapeAsync(http, buffer);
            scrape.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        var p1 = Now();
        var body = await http.GetStringAsync("metrics");
        // The two halves of a scrape on their own, in process.
        for (var i = 0; i < o.Requests; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await host.Sampler.RefreshIfStaleAsync();
            sample.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            t = Stopwatch.GetTimestamp();
            await host.Exporter.ScrapeAsync();
            render.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        Write(json, "scrape_", scrape);
        Write(json, "store_sample_", sample);
        Write(json, "render_", render);
        json["target_p95_ms"] = TargetP95Ms;
        json["over_target"] = Percentile(scrape, 0.95) > TargetP95Ms;
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        json["response_bytes"] = System.Text.Encoding.UTF8.GetByteCount(body);
        json["families"] = lines.Count(l => l.StartsWith("# TYPE ", StringComparison.Ordinal));
        json["samples"] = lines.Count(l => !l.StartsWith('#'));
        json["status_code_series"] = lines.Count(l => l.StartsWith("jobwatch_jobs_by_status_code_total{", StringComparison.Ordinal));
        json["measure_seconds"] = Round(p0.SecondsUntil(p1));
        p0.WriteDelta(json, "measure_", p1);
        json["load_avg_1m"] = LoadAverage();
        json["elapsed_seconds"] = Round(Stopwatch.GetElapsedTime(wall).TotalSeconds);
        WriteEnvironment(json);
        await storage.DescribeAsync(json);
        return json;
    }

    /// <summary>
    /// Job i goes to queue i mod Q with code (i div Q) mod 20, so with at least 20·Q jobs every queue has
    /// every code. Then per queue one delayed job, and in every tenth queue (paused) two waiting ones.
    /// </summary>
    private static async Task FillAsync(MetricsHost host, BenchOptions o, JsonObject json)
    {
        var codes = MetricsHost.Codes;
        for (var start = 0; start < o.Jobs; start += 1000)
        {
            var batch = new List<JobEnqueueRequest>();
            for (var i = start; i < Math.Min(o.Jobs, start + 1000); i++)
            {
                batch.Add(new JobEnqueueRequest(MetricsHost.JobName(i % o.Queues), new CodeArgs(codes[i / o.Queues % codes.Length])));
            }
            await host.Client.EnqueueManyAsync(batch);
        }
        var deadline = Stopwatch.GetTimestamp() + (long)(o.TimeoutSeconds * (double)Stopwatch.Frequency);
        long finished = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var queues = await host.Monitor.GetQueuesAsync();
            finished = queues.Sum(q => q.Counts.Completed + q.Counts.Failed);
            if (finished >= o.Jobs)
            {
                break;
            }
            await Task.Delay(200);
        }
        json["finished"] = finished;
        json["lost"] = Math.Max(0, o.Jobs - finished);

        var parked = new List<JobEnqueueRequest>();
        for (var q = 0; q < o.Queues; q++)
        {
            parked.Add(new JobEnqueueRequest(MetricsHost.JobName(q), new CodeArgs(200), new EnqueueOptions { Delay = TimeSpan.FromHours(1) }));
            if (q % 10 == 0)
            {
                await host.Client.PauseQueueAsync(MetricsHost.QueueName(q));
                parked.Add(new JobEnqueueRequest(MetricsHost.JobName(q), new CodeArgs(200)));
                parked.Add(new JobEnqueueRequest(MetricsHost.JobName(q), new CodeArgs(200)));
            }
        }
        await host.Client.EnqueueManyAsync(parked);
    }

    /// <summary>One scrape, read to the last byte into a reused buffer: the measuring client should not allocate a megabyte string per request.</summary>
    private static async Task ReadScrapeAsync(HttpClient http, byte[] buffer)
    {
        using var response = await http.GetAsync("metrics", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }

    private static void Write(JsonObject json, string prefix, List<double> times)
    {
        times.Sort();
        json[prefix + "p50_ms"] = Percentile(times, 0.50);
        json[prefix + "p95_ms"] = Percentile(times, 0.95);
        json[prefix + "p99_ms"] = Percentile(times, 0.99);
        json[prefix + "max_ms"] = times.Count == 0 ? null : Round(times[^1]);
        json[prefix + "mean_ms"] = times.Count == 0 ? null : Round(times.Average());
    }

    /// <summary>Nearest rank on a sorted list.</summary>
    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)]);

    private static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
