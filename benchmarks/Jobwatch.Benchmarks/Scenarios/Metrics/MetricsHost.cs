using System.Globalization;
using System.Net;
using Jobwatch.AspNetCore;
using Jobwatch.AspNetCore.Metrics;
using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Handlers;
using Jobwatch.Monitoring;
using Jobwatch.Observability;
using Jobwatch.StatusCodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Benchmarks.Scenarios.Metrics;

/// <summary>Which status code a benchmark job ends with.</summary>
public sealed record CodeArgs(int Code);

/// <summary>Ends at once with the code it was given: 2xx completes, 3xx is skipped, 4xx/5xx dead-letters (one attempt).</summary>
public sealed class CodeHandler : IJobHandler<CodeArgs>
{
    public Task<JobResult> HandleAsync(CodeArgs args, JobContext context, CancellationToken cancellationToken) =>
        Task.FromResult(JobResult.Code(args.Code, message: args.Code >= 400 ? "benchmark failure" : null));
}

/// <summary>
/// A server as a user would run it: one job name per queue (<c>job_q000</c> in <c>q000</c>, …), twenty status
/// codes in use, workers running, the API with <c>/metrics</c> on real Kestrel (loopback, no tokens). Store
/// gauges are sampled on every scrape (<c>StoreSampleMaxAge = 0</c>): with Prometheus's usual 15 s interval and the
/// default 5 s age, every scrape samples the store anyway, so this is what a scrape costs.
/// </summary>
public sealed class MetricsHost : IAsyncDisposable
{
    /// <summary>Twenty codes: ten success, two skip, eight error (seed 000's mix of labels).</summary>
    public static readonly int[] Codes = [200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 304, 305, 404, 429, 450, 451, 470, 480, 500, 502];

    private readonly WebApplication _app;

    private MetricsHost(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");
    public IJobClient Client => _app.Services.GetRequiredService<IJobClient>();
    public IJobMonitor Monitor => _app.Services.GetRequiredService<IJobMonitor>();
    public StoreMetricsSampler Sampler => _app.Services.GetRequiredService<StoreMetricsSampler>();
    public PrometheusExporter Exporter => _app.Services.GetRequiredService<PrometheusExporter>();

    public static string QueueName(int i) => "q" + i.ToString("000", CultureInfo.InvariantCulture);
    public static string JobName(int i) => "job_" + QueueName(i);

    public static async Task<MetricsHost> StartAsync(int queues, StorageTarget storage)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
        var jobwatch = builder.Services.AddJobwatch(o =>
        {
            o.DefaultConcurrency = 2;
            o.Metrics.StoreSampleMaxAge = TimeSpan.Zero;
        });
        storage.Register(jobwatch);
        builder.Services.TryAddScoped<CodeHandler>();
        for (var i = 0; i < queues; i++)
        {
            builder.Services.AddSingleton(new JobDefinition(JobName(i), typeof(CodeArgs), typeof(CodeHandler), new JobHandlerOptions { Queue = QueueName(i), MaxAttempts = 1 }));
        }
        var builtIn = JobStatusCodes.Defaults.Select(d => d.Code).ToHashSet();
        foreach (var code in Codes.Where(c => !builtIn.Contains(c)))
        {
            jobwatch.AddStatusCode(code, $"{(code < 300 ? "SUCCESS" : code < 400 ? "SKIPPED" : "ERROR")}_{code}", registeredBy: "bench");
        }
        builder.Services.AddJobwatchApi();
        var app = builder.Build();
        app.MapJobwatch();
        await app.StartAsync();
        var host = new MetricsHost(app);
        host.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
