using System.Net;
using Jobwatch.AspNetCore;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>
/// The measured app, built the way a user's app maps Jobwatch: <c>AddJobwatch(…).Use…()</c>,
/// <c>AddJobwatchApi()</c>, <c>MapJobwatch()</c>, real Kestrel on loopback. No workers run (nothing may
/// change the filled jobs while they are measured); the leader duties (promoter, rescuer) do, as on any
/// node. No token is configured, so loopback callers are admitted, as on a default server.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _started;

    private ApiHost(WebApplication app) => _app = app;

    public IJobStore Store => _app.Services.GetRequiredService<IJobStore>();
    public IJobMonitor Monitor => _app.Services.GetRequiredService<IJobMonitor>();
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public static ApiHost Create(StorageTarget storage)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
        var jobwatch = builder.Services.AddJobwatch(o => o.RunWorkers = false);
        storage.Register(jobwatch);
        foreach (var (code, label, description, retryable) in FillMix.ExtraCodes)
        {
            jobwatch.AddStatusCode(code, label, description, retryable, registeredBy: "bench");
        }
        builder.Services.AddJobwatchApi();
        var app = builder.Build();
        app.MapJobwatch();
        return new ApiHost(app);
    }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        _started = true;
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _app.StopAsync(cts.Token);
        }
        await _app.DisposeAsync();
    }
}
