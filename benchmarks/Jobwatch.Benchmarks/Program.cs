using System.Text.Json.Nodes;
using Jobwatch.Benchmarks;
using Jobwatch.Benchmarks.Compare;
using Jobwatch.Benchmarks.Scenarios;
using Jobwatch.Benchmarks.Scenarios.Api;
using Jobwatch.Benchmarks.Scenarios.Metrics;
using Jobwatch.Benchmarks.Scenarios.Realtime;

// Exit codes: 0 ran cleanly, 1 ran but jobs were lost, never started or ran twice, 2 bad command line.
if (args is ["--help" or "-h" or "help", ..])
{
    Console.Out.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
StorageTarget storage;
try
{
    options = BenchOptions.Parse(args);
    storage = StorageFactory.Create(options.Storage);
    Comparison.Check(options, storage);
    if (options.Scenario == "api")
    {
        storage = ApiScenario.Target(options, storage);
    }
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using (storage)
{
    JsonObject result;
    try
    {
        result = options.Scenario switch
        {
            "throughput" => await ThroughputScenario.RunAsync(options, storage),
            "api" => await ApiScenario.RunAsync(options, storage),
            "realtime" => await RealtimeScenario.RunAsync(options, storage),
            "metrics" => await MetricsScenario.RunAsync(options, storage),
            _ => await LatencyScenario.RunAsync(options, storage),
        };
    }
    catch (UsageException ex)
    {
        // Found only once the store is open (a reused store holding another fill).
        Console.Error.WriteLine($"error: {ex.Message}");
        return 2;
    }
    // The peer runs after Jobwatch's host is gone, so the two never share the machine or the server.
    var peer = await Comparison.RunAsync(options, storage, result);
    await ResultWriter.WriteAsync(result, options.Out);
    if (peer is not null)
    {
        await ResultWriter.WriteAsync(peer, options.Out);
    }
    if (options.Scenario == "api")
    {
        // Slow or missing endpoints are findings in the line, not a failed run.
        return 0;
    }
    if (options.Scenario == "metrics")
    {
        // A slow scrape is a finding in the line; jobs that never finished make the figures meaningless.
        return result["lost"]!.GetValue<long>() == 0 ? 0 : 1;
    }
    // Exit code 1 is about Jobwatch only: the peer's losses are reported in its line.
    var lost = result["lost"]?.GetValue<long>() ?? 0;
    var missing = options.Scenario == "latency" ? result["sent"]!.GetValue<int>() - result["started"]!.GetValue<int>() : 0;
    return lost + missing + result["duplicates"]!.GetValue<long>() == 0 ? 0 : 1;
}
