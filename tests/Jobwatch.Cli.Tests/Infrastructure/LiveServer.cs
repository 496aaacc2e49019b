using System.Net;
using Jobwatch.AspNetCore;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Contracts.Jobs;
using Jobwatch.Contracts.Monitoring;
using Jobwatch.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Cli.Tests.Infrastructure;

public sealed class LiveServerOptions
{
    /// <summary>One token per role (<see cref="LiveServer.Secret"/>); false leaves the server tokenless (loopback callers are admin).</summary>
    public bool WithTokens { get; set; } = true;
    /// <summary>
    /// More handlers besides echo, always_fails and counting_sync. Workers serve only the queues of registered
    /// handlers, so a test that needs jobs of its own in another queue registers a handler for that queue here.
    /// </summary>
    public Action<JobwatchBuilder>? Handlers { get; set; }
    /// <summary>Configuration the host sees, e.g. health thresholds.</summary>
    public Dictionary<string, string?> Configuration { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The Jobwatch API as a user's app hosts it: MapJobwatch on real Kestrel at 127.0.0.1, SQLite in a temp folder,
/// real workers running the test handlers. It can be stopped and started again on the same port with the same
/// data, which is how the watch test takes the server away and brings it back.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    private readonly LiveServerOptions _options;
    private readonly string _dir;
    private WebApplication? _app;
    private int _port;

    private LiveServer(LiveServerOptions options, string dir)
    {
        _options = options;
        _dir = dir;
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");
    public string Url => BaseAddress.AbsoluteUri;
    public TestGate Gate => (_app ?? throw new InvalidOperationException("The server is stopped.")).Services.GetRequiredService<TestGate>();

    public static string Secret(JobwatchRole role) => $"cli-test-{role.ToString().ToLowerInvariant()}-secret-0123456789";

    public static async Task<LiveServer> StartAsync(Action<LiveServerOptions>? configure = null)
    {
        var options = new LiveServerOptions();
        configure?.Invoke(options);
        var dir = Path.Combine(Path.GetTempPath(), "jobwatch-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var server = new LiveServer(options, dir);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the app (again), on the port it had before if it ran already, with the same database.</summary>
    public async Task StartAgainAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The server is already running.");
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TestGate>();
        var jobwatch = builder.Services.AddJobwatch(o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(100);
            })
            .UseSqlite($"Data Source={Path.Combine(_dir, "jobs.db")}")
            .AddHandler<EchoHandler, EchoArgs>(EchoHandler.Name)
            .AddHandler<FailHandler, FailArgs>(FailHandler.Name, o => { o.MaxAttempts = 1; o.Queue = FailHandler.Queue; })
            .AddHandler<CountingHandler, CountArgs>(CountingHandler.Name, o => { o.Type = "sync"; o.Queue = CountingHandler.Queue; });
        _options.Handlers?.Invoke(jobwatch);
        builder.Services.AddJobwatchApi(api =>
        {
            if (_options.WithTokens)
            {
                foreach (var role in Enum.GetValues<JobwatchRole>())
                {
                    api.Tokens.Add(new ApiToken { Name = $"cli-test-{role.ToString().ToLowerInvariant()}", Role = role, Secret = Secret(role) });
                }
            }
        });
        builder.Configuration.AddInMemoryCollection(_options.Configuration);
        var app = builder.Build();
        app.MapJobwatch();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _port = new Uri(address).Port;
        _app = app;
    }

    /// <summary>Stops listening (connections are then refused) but keeps the database for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is not { } app)
        {
            return;
        }
        _app = null;
        // Stop listening first: the host would stop the engine before Kestrel, and a client polling meanwhile would
        // see held jobs finish, which a real server going away does not show.
        await app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().StopAsync(CancellationToken.None);
        app.Services.GetRequiredService<TestGate>().Open();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>A typed client with <paramref name="role"/>'s token (admin by default), for seeding jobs through the REST API.</summary>
    public JobwatchClient Client(JobwatchRole role = JobwatchRole.Admin) => new(BaseAddress, _options.WithTokens ? Secret(role) : null);

    public async Task<long> EnqueueAsync(string name, object? args = null)
    {
        using var client = Client();
        var element = args is null ? (System.Text.Json.JsonElement?)null : System.Text.Json.JsonSerializer.SerializeToElement(args, args.GetType(), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        return (await client.EnqueueJobAsync(new EnqueueJobRequest { Name = name, Args = element })).Id;
    }

    /// <summary>Polls the API until the job satisfies <paramref name="until"/>; fails after 30 s with what was last seen.</summary>
    public async Task<MonitoringJob> WaitForJobAsync(long id, Func<MonitoringJob, bool> until, string what)
    {
        using var client = Client();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        MonitoringJob? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetMonitoringJobAsync(id);
            if (last is not null && until(last))
            {
                return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Job {id} did not become {what} within 30 s; last seen: {last?.Status}, {last?.ItemsProcessed} items.");
    }

    public Task<MonitoringJob> WaitForStatusAsync(long id, string status) => WaitForJobAsync(id, j => j.Status == status, status);

    /// <summary>A counting job running with its first items counted and visible through the API.</summary>
    public async Task<long> StartCountingJobAsync(CountArgs? args = null)
    {
        args ??= new CountArgs();
        var id = await EnqueueAsync(CountingHandler.Name, args);
        await WaitForJobAsync(id, j => j.Status == "running" && j.ItemsProcessed == args.Succeeded + args.Failed, "running with its items counted");
        return id;
    }

    /// <summary>A job of <paramref name="name"/> (a <see cref="FailHandler"/>) that has failed for good.</summary>
    public async Task<long> FailJobAsync(string message, string name = FailHandler.Name)
    {
        var id = await EnqueueAsync(name, new FailArgs(message));
        await WaitForStatusAsync(id, "failed");
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
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
