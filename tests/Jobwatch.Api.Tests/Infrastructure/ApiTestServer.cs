using System.Net.Http.Headers;
using Jobwatch.AspNetCore;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Api.Tests.Infrastructure;

public sealed class ApiServerOptions
{
    /// <summary>Configure one token per role (<see cref="ApiTestServer.Secret"/>); false leaves the server tokenless (loopback only).</summary>
    public bool WithTokens { get; set; } = true;
    public bool RunWorkers { get; set; } = true;
    public Action<JobwatchApiOptions>? Api { get; set; }
    /// <summary>
    /// Lets a request claim another client address with the <see cref="ApiTestServer.RemoteAddressHeader"/> header (as a
    /// trusted proxy's forwarded-for would), so loopback-only rules can be tested from loopback.
    /// </summary>
    public bool SimulateRemoteAddresses { get; set; }

    /// <summary>Configuration entries the host sees (e.g. <c>["Jobwatch:Health:Default:FailedUnhealthyAbove"] = "2"</c>), as appsettings.json would give them.</summary>
    public Dictionary<string, string?> Configuration { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>
    /// A folder whose <c>jobs.db</c> the server uses (another server's <see cref="ApiTestServer.StoreDirectory"/>, to
    /// restart on the same store or run a second node on it). The server then does not delete it; by default each
    /// server gets a fresh folder of its own, deleted on dispose.
    /// </summary>
    public string? StoreDirectory { get; set; }
    /// <summary>Extra registrations, applied after Jobwatch's (e.g. <c>s.AddJobwatchQueueHealth(o => …)</c>).</summary>
    public Action<IServiceCollection>? Services { get; set; }
    /// <summary>Extra endpoints, mapped after <c>MapJobwatch()</c> (e.g. <c>app => app.MapJobwatchHealthProbes()</c>).</summary>
    public Action<WebApplication>? Map { get; set; }
}

/// <summary>
/// A host app that maps Jobwatch with one call, as a user's app would: SQLite in a temp folder, real Kestrel
/// on 127.0.0.1 with a free port, real workers running the test handlers.
/// </summary>
public sealed class ApiTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;
    private readonly bool _ownsDir;

    private ApiTestServer(WebApplication app, string dir, bool ownsDir, Uri baseAddress)
    {
        _app = app;
        _dir = dir;
        _ownsDir = ownsDir;
        BaseAddress = baseAddress;
    }

    /// <summary>The folder holding this server's SQLite store (see <see cref="ApiServerOptions.StoreDirectory"/>).</summary>
    public string StoreDirectory => _dir;

    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;
    public IJobClient Jobs => Services.GetRequiredService<IJobClient>();
    public IJobMonitor Monitor => Services.GetRequiredService<IJobMonitor>();
    public TestGate Gate => Services.GetRequiredService<TestGate>();

    /// <summary>The secret of the token configured for <paramref name="role"/>.</summary>
    public static string Secret(JobwatchRole role) => $"test-{role.ToString().ToLowerInvariant()}-secret";
    /// <summary>The token's name, as the audit trail records it.</summary>
    public static string TokenName(JobwatchRole role) => $"test-{role.ToString().ToLowerInvariant()}";

    public static async Task<ApiTestServer> StartAsync(Action<ApiServerOptions>? configure = null)
    {
        var options = new ApiServerOptions();
        configure?.Invoke(options);
        var dir = options.StoreDirectory ?? Path.Combine(Path.GetTempPath(), "jobwatch-api-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TestGate>();
        builder.Services.AddJobwatch(o =>
            {
                o.RunWorkers = options.RunWorkers;
                o.PollInterval = TimeSpan.FromMilliseconds(100);
            })
            .UseSqlite($"Data Source={Path.Combine(dir, "jobs.db")}")
            .AddHandler<EchoHandler, EchoArgs>(EchoHandler.Name)
            .AddHandler<FailHandler, FailArgs>(FailHandler.Name, o => { o.MaxAttempts = 1; o.Queue = "critical"; })
            .AddHandler<CountingHandler, CountArgs>(CountingHandler.Name, o => o.Type = "sync")
            .AddStatusCode(470, "INVALID_PAYLOAD", "The payload could not be used.", registeredBy: "api-tests");
        builder.Services.AddJobwatchApi(api =>
        {
            if (options.WithTokens)
            {
                foreach (var role in Enum.GetValues<JobwatchRole>())
                {
                    api.Tokens.Add(new ApiToken { Name = TokenName(role), Role = role, Secret = Secret(role) });
                }
            }
            options.Api?.Invoke(api);
        });

        builder.Configuration.AddInMemoryCollection(options.Configuration);
        options.Services?.Invoke(builder.Services);
        var app = builder.Build();
        if (options.SimulateRemoteAddresses)
        {
            app.Use((http, next) =>
            {
                if (http.Request.Headers.TryGetValue(RemoteAddressHeader, out var value))
                {
                    http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(value.ToString());
                }
                return next(http);
            });
            // Explicit, so authentication runs after the address is rewritten (WebApplication would add it first).
            app.UseAuthentication();
            app.UseAuthorization();
        }
        app.MapJobwatch();
        options.Map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ApiTestServer(app, dir, options.StoreDirectory is null, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    /// <summary>A client sending <paramref name="role"/>'s token; null sends none.</summary>
    public HttpClient Client(JobwatchRole? role = JobwatchRole.Admin) => ClientWithToken(role is { } r ? Secret(r) : null);

    public HttpClient ClientWithToken(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
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
            await Task.Delay(25);
        }
        throw new TimeoutException($"Job {id} did not become {what} within 30 s; last seen: {last?.State} {last?.StatusCode}.");
    }

    public async ValueTask DisposeAsync()
    {
        Gate.Open();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDir)
        {
            return;
        }
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
