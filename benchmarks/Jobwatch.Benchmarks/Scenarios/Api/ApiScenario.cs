using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobwatch.Model;
using Jobwatch.Storage;
using static Jobwatch.Benchmarks.ProcessStats;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// Fills the store with <c>--jobs</c> jobs (or reuses an earlier fill), hosts the HTTP surface on real
/// Kestrel, and times the monitoring endpoints over HTTP: <c>--warmup-requests</c> untimed rounds, then
/// <c>--requests</c> timed ones, one request at a time.
/// </summary>
public static class ApiScenario
{
    public const double TargetP95Ms = 20;

    /// <summary>The store to measure: with <c>--reuse</c>, one that outlives the run. Fails before anything runs when that cannot be.</summary>
    public static StorageTarget Target(BenchOptions o, StorageTarget storage)
    {
        switch (storage)
        {
            case SqliteTarget { IsTemporary: true } when o.Reuse:
                throw new UsageException("--reuse keeps the filled file for the next run: name it with --storage sqlite:PATH.");
            case SqliteTarget { IsTemporary: false } file when !o.Reuse && File.Exists(file.FilePath) && new FileInfo(file.FilePath).Length > 0:
                throw new UsageException($"{file.FilePath} exists: pass --reuse to measure the fill it holds, or delete it to fill anew.");
            case PostgresTarget server when o.Reuse:
                return server.WithKeptSchema($"jobwatch_bench_api_{o.Jobs}");
            default:
                return storage;
        }
    }

    public static async Task<JsonObject> RunAsync(BenchOptions o, StorageTarget storage)
    {
        var wall = Stopwatch.GetTimestamp();
        var json = new JsonObject
        {
            ["scenario"] = "api",
            ["system"] = "jobwatch",
            ["storage"] = storage.Kind,
            ["jobs"] = o.Jobs,
            ["requests"] = o.Requests,
            ["warmup_requests"] = o.WarmupRequests,
        };
        await using var host = ApiHost.Create(storage);
        var migrate = Stopwatch.GetTimestamp();
        // Applies new migrations to a reused store (index builds over all its jobs), so it is timed on its own.
        await host.Store.MigrateAsync();
        json["migrate_seconds"] = Round(Stopwatch.GetElapsedTime(migrate).TotalSeconds);

        long midId;
        await using (var finisher = await OpenFinisherAsync(storage))
        {
            var where = storage is SqliteTarget s ? s.FilePath : $"schema {((PostgresTarget)storage).Schema}";
            var (marker, reused) = await ApiFill.EnsureAsync(o, host.Store, finisher, where);
            json["reused"] = reused;
            json["fill_seconds"] = marker.FillSeconds;
            json["filled_at"] = marker.FilledAt.ToString("O");
            json["fill_version"] = marker.Version;
            json["store_size_mb"] = await finisher.SizeMbAsync();
            midId = Math.Max(1, await finisher.CountJobsAsync() / 2);
        }

        // Idempotent, and outside the fill so stores filled before it existed get it too.
        await host.Store.QueueSetPausedAsync(new QueueSetPausedParams(ApiEndpoints.IdleQueue, true, DateTimeOffset.UtcNow));
        await host.StartAsync();
        json["counts"] = await CountsAsync(host);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };
        var probe = new ApiProbe(http, midId);
        await probe.DiscoverAsync(ApiEndpoints.All);
        await probe.RunAsync(o.WarmupRequests, timed: false);
        json["load_avg_1m_start"] = LoadAverage();
        var p0 = Now();
        await probe.RunAsync(o.Requests, timed: true);
        var p1 = Now();
        var endpoints = probe.ToJson(ApiEndpoints.All);
        json["measure_seconds"] = Round(p0.SecondsUntil(p1));
        p0.WriteDelta(json, "measure_", p1);
        Summarize(json, endpoints);
        json["endpoints"] = endpoints;
        json["elapsed_seconds"] = Round(Stopwatch.GetElapsedTime(wall).TotalSeconds);
        WriteEnvironment(json);
        await storage.DescribeAsync(json);
        return json;
    }

    /// <summary>The slowest endpoint, those over the target, and those not built yet, so one glance at the line says where things stand.</summary>
    private static void Summarize(JsonObject json, JsonObject endpoints)
    {
        var measured = ApiEndpoints.All.Where(e => !e.Baseline && endpoints[e.Key]?["p95_ms"] is not null)
            .Select(e => (e.Key, P95: endpoints[e.Key]!["p95_ms"]!.GetValue<double>()))
            .ToList();
        var slowest = measured.OrderByDescending(m => m.P95).FirstOrDefault();
        json["target_p95_ms"] = TargetP95Ms;
        json["slowest"] = slowest.Key;
        json["slowest_p95_ms"] = slowest.Key is null ? null : slowest.P95;
        json["over_target"] = new JsonArray(measured.Where(m => m.P95 > TargetP95Ms).Select(m => (JsonNode)JsonValue.Create(m.Key)!).ToArray());
        json["missing"] = new JsonArray(ApiEndpoints.All.Where(e => endpoints[e.Key]?["missing"] is not null)
            .Select(e => (JsonNode)JsonValue.Create(e.Key)!).ToArray());
        json["errors"] = ApiEndpoints.All.Sum(e => endpoints[e.Key]?["errors"]?.GetValue<int>() ?? 0);
    }

    private static async Task<IFillFinisher> OpenFinisherAsync(StorageTarget storage) => storage switch
    {
        SqliteTarget s => new SqliteFillFinisher(s.FilePath),
        PostgresTarget p => await PostgresFillFinisher.OpenAsync(p),
        _ => throw new UsageException($"The api scenario cannot seed storage '{storage.Kind}'."),
    };

    /// <summary>What the store holds, by state (from the monitor, the same numbers the endpoints show).</summary>
    private static async Task<JsonObject> CountsAsync(ApiHost host)
    {
        var queues = await host.Monitor.GetQueuesAsync();
        var c = queues.Select(q => q.Counts).ToList();
        return new JsonObject
        {
            ["queues"] = c.Count,
            [JobState.Waiting.ToName()] = c.Sum(q => q.Waiting),
            [JobState.Delayed.ToName()] = c.Sum(q => q.Delayed),
            [JobState.Active.ToName()] = c.Sum(q => q.Active),
            [JobState.Completed.ToName()] = c.Sum(q => q.Completed),
            [JobState.Failed.ToName()] = c.Sum(q => q.Failed),
            [JobState.Cancelled.ToName()] = c.Sum(q => q.Cancelled),
        };
    }

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
