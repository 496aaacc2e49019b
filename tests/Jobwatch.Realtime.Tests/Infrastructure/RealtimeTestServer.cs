using System.Net.Http.Headers;
using Jobwatch.AspNetCore;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Realtime;
using Jobwatch.Client;
using Jobwatch.DependencyInjection;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Realtime.Tests.Infrastructure;

public sealed class RealtimeServerOptions
{
    public bool RunWorkers { get; set; } = true;
    /// <summary>Null: SQLite in a temp folder. Otherwise this PostgreSQL schema on <see cref="PostgresTestDatabase"/>.</summary>
    public string? PostgresSchema { get; set; }
    /// <summary>A SQLite file shared with another server (kept by the caller); null: a file in a temp folder of this server's own.</summary>
    public string? SqlitePath { get; set; }
    public string? WorkerId { get; set; }
    public Action<JobwatchOptions>? Engine { get; set; }
    public Action<JobwatchRealtimeOptions>? Realtime { get; set; }
    /// <summary>Lowest level captured in <see cref="RealtimeTestServer.Logs"/> (every category).</summary>
    public LogLevel CaptureLevel { get; set; } = LogLevel.Warning;
    /// <summary>The loopback port to listen on; 0 picks a free one. A restarted server reuses its predecessor's.</summary>
    public int Port { get; set; }
    /// <summary>Further services (hub filters, for one), added after Jobwatch's own.</summary>
    public Action<IServiceCollection>? Services { get; set; }
}

/// <summary>
/// A host app that maps Jobwatch with one call, as a user's app would (adapted from Api.Tests): real Kestrel on
/// 127.0.0.1 with a free port, real workers running the test handlers, one token per role, and every log line captured.
/// </summary>
public sealed class RealtimeTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _dir;

    private RealtimeTestServer(WebApplication app, string? dir, Uri baseAddress, LogCapture logs)
    {
        _app = app;
        _dir = dir;
        BaseAddress = baseAddress;
        Logs = logs;
    }

    public Uri BaseAddress { get; }
    public LogCapture Logs { get; }
    public IServiceProvider Services => _app.Services;
    public IJobClient Jobs => Services.GetRequiredService<IJobClient>();
    public IJobMonitor Monitor => Services.GetRequiredService<IJobMonitor>();
    public TestGate Gate => Services.GetRequiredService<TestGate>();
    public JobwatchRealtimeStatistics Realtime => Services.GetRequiredService<JobwatchRealtimeStatistics>();

    public static string Secret(JobwatchRole role) => $"rt-{role.ToString().ToLowerInvariant()}-secret-7f3a9c";

    public static async Task<RealtimeTestServer> StartAsync(Action<RealtimeServerOptions>? configure = null)
    {
        var options = new RealtimeServerOptions();
        configure?.Invoke(options);
        string? dir = null;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, options.Port));
        var logs = new LogCapture();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.CaptureLevel);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TestGate>();
        var jobwatch = builder.Services.AddJobwatch(o =>
        {
            o.RunWorkers = options.RunWorkers;
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.WorkerId = options.WorkerId;
            o.Backoff.Base = TimeSpan.FromMilliseconds(200);
            o.Backoff.Max = TimeSpan.FromMilliseconds(200);
            options.Engine?.Invoke(o);
        });
        if (options.PostgresSchema is { } schema)
        {
            jobwatch.UsePostgres(PostgresTestDatabase.ConnectionString, o => o.Schema = schema);
        }
        else if (options.SqlitePath is { } shared)
        {
            jobwatch.UseSqlite($"Data Source={shared}");
        }
        else
        {
            dir = Path.Combine(Path.GetTempPath(), "jobwatch-rt-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(dir);
            jobwatch.UseSqlite($"Data Source={Path.Combine(dir, "jobs.db")}");
        }
        TestHandlers.Register(jobwatch);
        builder.Services.AddJobwatchApi(api =>
        {
            foreach (var role in Enum.GetValues<JobwatchRole>())
            {
                api.Tokens.Add(new ApiToken { Name = $"rt-{role.ToString().ToLowerInvariant()}", Role = role, Secret = Secret(role) });
            }
        });
        if (options.Realtime is { } realtime)
        {
            builder.Services.Configure(realtime);
        }
        options.Services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapJobwatch();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RealtimeTestServer(app, dir, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"), logs);
    }

    /// <summary>A hub client with <paramref name="role"/>'s token (sent as a header), not yet started.</summary>
    public JobwatchHubClient HubClient(HttpTransportType transport, JobwatchRole? role = JobwatchRole.Viewer, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure = null) =>
        new(BaseAddress, new JobwatchHubClientOptions
        {
            Token = role is { } r ? Secret(r) : null,
            Transports = transport,
            AutomaticReconnect = false,
            ConfigureConnection = configure,
        });

    public HttpClient Http(JobwatchRole? role = JobwatchRole.Viewer)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (role is { } r)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret(r));
        }
        return client;
    }

    /// <summary>Polls the monitor until the job satisfies <paramref name="until"/> (30 s at most).</summary>
    public async Task<JobRecord> WaitForJobAsync(long id, Func<JobRecord, bool> until, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JobRecord? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await Monitor.GetJobAsync(id))?.View.Job;
            if (last is not null && until(last))
            {
                return last;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"Job {id} did not become {what} within 30 s; last seen: {last?.State} {last?.StatusCode}.");
    }

    public async ValueTask DisposeAsync()
    {
        Gate.OpenAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_dir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open on a slow machine; the temp folder is cleaned eventually.
            }
        }
    }
}
