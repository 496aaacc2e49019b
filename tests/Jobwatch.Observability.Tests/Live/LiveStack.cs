using Jobwatch.Observability.Tests.Infrastructure;

namespace Jobwatch.Observability.Tests.Live;

/// <summary>
/// One demo server and one real Prometheus scraping it, shared by the live tests: starting them takes most of
/// the time, and the machine has two cores.
/// </summary>
public sealed class LiveStack : IAsyncLifetime
{
    public JobwatchDemoServer Server { get; private set; } = null!;
    public PrometheusServer Prometheus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Both fail (not skip) when missing: these tests exist to run the real tools.
        _ = ExternalTool.Prometheus;
        _ = ExternalTool.Promtool;
        Server = await JobwatchDemoServer.StartAsync();
        Prometheus = await PrometheusServer.StartAsync(Server.BaseAddress, Server.ViewerToken);
        await Poll.UntilAsync("successful scrape of the server (up == 1)", async () =>
        {
            var up = await Prometheus.QueryAsync($"up{{job=\"{PrometheusServer.ScrapeJob}\"}} == 1");
            return up.HasData ? up : null;
        }, TimeSpan.FromSeconds(60), Describe);
    }

    /// <summary>Polls an expression until it returns at least one series.</summary>
    public Task<QueryResult> WaitForDataAsync(string expr, TimeSpan timeout) =>
        Poll.UntilAsync($"data for {expr}", async () =>
        {
            var result = await Prometheus.QueryAsync(expr);
            Assert.True(result.Ok, $"{expr} failed: {result.Error}");
            return result.HasData ? result : null;
        }, timeout, Describe, TimeSpan.FromSeconds(1));

    public string Describe() => $"{Server?.Process.Describe()}\n{Prometheus?.Process.Describe()}";

    public async Task DisposeAsync()
    {
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LiveStackCollection : ICollectionFixture<LiveStack>
{
    public const string Name = "demo server scraped by Prometheus";
}
