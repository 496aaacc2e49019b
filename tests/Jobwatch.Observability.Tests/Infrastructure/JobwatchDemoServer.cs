using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Jobwatch.Observability.Tests.Infrastructure;

/// <summary>
/// The real Jobwatch.Server running <c>--demo</c> as its own process on a free loopback port, with a viewer token
/// (as in the compose stack, /metrics needs one).
/// </summary>
public sealed partial class JobwatchDemoServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly DirectoryInfo _workDir;

    private JobwatchDemoServer(ChildProcess process, DirectoryInfo workDir, string viewerToken)
    {
        _process = process;
        _workDir = workDir;
        ViewerToken = viewerToken;
    }

    public string ViewerToken { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public ChildProcess Process => _process;

    public static async Task<JobwatchDemoServer> StartAsync()
    {
        var workDir = Directory.CreateTempSubdirectory("jobwatch-observability-");
        var token = "viewer-" + Guid.NewGuid().ToString("N");
        var process = ChildProcess.Start(DotnetHost(), [Locate(), "--demo", "--storage", $"sqlite:{Path.Combine(workDir.FullName, "jobwatch.db")}", "--log-format", "json"],
            workDir.FullName, new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["JOBWATCH_STORAGE"] = null,
                ["JOBWATCH_TOKENS"] = $"viewer:{token}",
            });
        var server = new JobwatchDemoServer(process, workDir, token);
        var line = await Poll.UntilAsync("'Now listening on' line from the server",
            () => Task.FromResult(process.HasExited ? throw new Xunit.Sdk.XunitException("the server exited") : process.StdoutLines.FirstOrDefault(l => l.Contains("Now listening on: ", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(60), process.Describe);
        server.BaseAddress = new Uri(Listening().Match(line).Groups[1].Value.TrimEnd('/') + "/");
        return server;
    }

    public HttpClient CreateClient(bool withToken = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ViewerToken);
        }
        return client;
    }

    public async Task<string> ScrapeAsync()
    {
        using var client = CreateClient();
        using var response = await client.GetAsync("metrics");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        try
        {
            _workDir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A killed server may hold the database for a moment; the temp folder is the OS's to clean.
        }
        return ValueTask.CompletedTask;
    }

    private static string DotnetHost()
    {
        // Under `dotnet test` the SDK names its host; a test run elsewhere finds dotnet on PATH.
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk) ? fromSdk : "dotnet";
    }

    /// <summary>The server's own build output, same configuration and framework as this assembly (the ProjectReference builds it).</summary>
    private static string Locate()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepoPaths.Root, "src", "Jobwatch.Server", "bin", here.Parent!.Name, here.Name, "Jobwatch.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Jobwatch.Server.dll not found at {path}; build tests/Jobwatch.Observability.Tests (it builds the server).", path);
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex Listening();
}
