using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobwatch.Client;
using Microsoft.AspNetCore.Http.Connections;
using static Jobwatch.Benchmarks.ProcessStats;

namespace Jobwatch.Benchmarks.Scenarios.Realtime;

/// <summary>
/// <c>--clients</c> hub clients (WebSockets, in this process) subscribed to the job-progress hub while <c>--jobs</c> jobs
/// report <c>--rate</c> progress events per second in total for <c>--seconds</c>. With <c>--subscribe queue</c> every
/// client follows every job; with <c>job</c> each follows one. A warm-up round of <c>--warmup-seconds</c> with the
/// same clients runs first (JIT, tier-up), then the measured round with new jobs. Latency is from the progress report (its
/// timestamp) to the client's handler. Every job ends with job-completed, which every client following it must receive.
/// </summary>
public static class RealtimeScenario
{
    public const double TargetP99Ms = 50;

    public static async Task<JsonObject> RunAsync(BenchOptions o, StorageTarget storage)
    {
        if (o.Rate % o.Jobs != 0)
        {
            throw new UsageException($"--rate ({o.Rate}) must be a multiple of --jobs ({o.Jobs}) so every job reports at the same pace.");
        }
        var json = new JsonObject
        {
            ["scenario"] = "realtime",
            ["system"] = "jobwatch",
            ["storage"] = storage.Kind,
            ["transport"] = "websockets",
            ["clients"] = o.Clients,
            ["jobs"] = o.Jobs,
            ["subscribe"] = o.Subscribe,
            ["rate"] = o.Rate,
            ["seconds"] = o.Seconds,
            ["warmup_seconds"] = o.WarmupSeconds,
        };
        await using var host = await RealtimeHost.StartAsync(o, storage);
        var clients = new List<MeasuredClient>();
        try
        {
            var connect = Stopwatch.GetTimestamp();
            for (var i = 0; i < o.Clients; i++)
            {
                clients.Add(await MeasuredClient.ConnectAsync(host.BaseAddress, HttpTransportType.WebSockets));
                if (o.Subscribe == "queue")
                {
                    await clients[^1].Hub.SubscribeToQueueAsync(host.Queue);
                }
            }
            json["connect_seconds"] = Round(Stopwatch.GetElapsedTime(connect).TotalSeconds);

            if (o.WarmupSeconds > 0)
            {
                await RoundAsync(host, clients, o, o.WarmupSeconds, json: null);
            }
            await RoundAsync(host, clients, o, o.Seconds, json);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
        WriteEnvironment(json);
        await storage.DescribeAsync(json);
        return json;
    }

    /// <summary>One round: new jobs, held until every client follows them, then released together.</summary>
    private static async Task RoundAsync(RealtimeHost host, List<MeasuredClient> clients, BenchOptions o, int seconds, JsonObject? json)
    {
        var perJob = o.Rate / o.Jobs;
        host.Release.Reset();
        clients.ForEach(c => c.Reset());
        var ids = await host.Client.EnqueueManyAsync(Enumerable.Range(0, o.Jobs)
            .Select(_ => new JobEnqueueRequest(PacedProgressHandler.Name, new PacedArgs(perJob, seconds))).ToArray());
        await WaitAsync(() => host.Release.Waiting == o.Jobs, TimeSpan.FromSeconds(o.TimeoutSeconds), "every job to start");
        if (o.Subscribe == "job")
        {
            for (var i = 0; i < clients.Count; i++)
            {
                await clients[i].Hub.UnsubscribeFromAllAsync();
                await clients[i].Hub.SubscribeToJobAsync(ids[i % ids.Count]);
            }
        }

        var timedFrom = DateTimeOffset.UtcNow;
        clients.ForEach(c => c.TimedFrom = timedFrom);
        var expectedPerClient = o.Subscribe == "queue" ? o.Jobs : 1;
        var coalescedBefore = host.Realtime.Clients().Sum(c => c.Coalesced);
        var feedCoalescedBefore = host.Realtime.EventsCoalescedByFeed;
        var p0 = Now();
        host.Release.Release();
        var delivered = await WaitAsync(() => clients.All(c => c.Completed >= expectedPerClient),
            TimeSpan.FromSeconds(seconds + o.TimeoutSeconds), "every client to receive every job-completed");
        var p1 = Now();
        await WaitAsync(() => host.Release.Finished == o.Jobs, TimeSpan.FromSeconds(o.TimeoutSeconds), "every job to finish");
        if (json is null)
        {
            return;
        }

        var published = (long)perJob * seconds * o.Jobs;
        var handlerSeconds = Stopwatch.GetElapsedTime(host.Release.ReleasedAt, host.Release.LastFinishAt).TotalSeconds;
        json["published_progress"] = published;
        json["achieved_rate"] = Round(published / handlerSeconds, 1);
        json["handler_seconds"] = Round(handlerSeconds);
        // What the clients would get without coalescing: every report of every job they follow.
        json["offered_progress"] = (long)perJob * seconds * expectedPerClient * o.Clients;
        json["delivered_progress"] = clients.Sum(c => c.Progress);
        json["delivered_progress_per_client"] = Round(clients.Average(c => c.Progress), 1);
        json["coalesced_progress"] = host.Realtime.Clients().Sum(c => c.Coalesced) - coalescedBefore;
        json["coalesced_progress_feed"] = host.Realtime.EventsCoalescedByFeed - feedCoalescedBefore;
        json["clients_disconnected_too_slow"] = host.Realtime.ClientsDisconnectedTooSlow;
        var terminalExpected = (long)expectedPerClient * o.Clients;
        var terminalReceived = clients.Sum(c => (long)c.Completed);
        json["terminal_expected"] = terminalExpected;
        json["terminal_received"] = terminalReceived;
        json["lost"] = terminalExpected - terminalReceived;
        json["duplicates"] = clients.Sum(c => c.Duplicates);
        json["all_delivered"] = delivered;

        var latencies = clients.SelectMany(c => c.Latencies()).Order().ToList();
        json["timed_events"] = latencies.Count;
        json["p50_ms"] = Percentile(latencies, 0.50);
        json["p90_ms"] = Percentile(latencies, 0.90);
        json["p99_ms"] = Percentile(latencies, 0.99);
        json["max_ms"] = latencies.Count > 0 ? Round(latencies[^1]) : null;
        json["target_p99_ms"] = TargetP99Ms;
        json["measure_seconds"] = Round(p0.SecondsUntil(p1));
        p0.WriteDelta(json, "measure_", p1);
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                Console.Error.WriteLine($"warning: gave up after {timeout.TotalSeconds:0} s waiting for {what}");
                return false;
            }
            await Task.Delay(10);
        }
        return true;
    }

    /// <summary>Nearest-rank percentile of sorted values, in ms, or null without values.</summary>
    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)]);
}
