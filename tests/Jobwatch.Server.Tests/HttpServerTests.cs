using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Jobwatch.Server.Tests;

/// <summary>The server process serves the API, and refuses to expose it to the network without tokens.</summary>
public sealed class HttpServerTests : ServerTestBase
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://127.0.0.1:0;http://192.0.2.10:0")]
    public async Task Listening_beyond_loopback_without_tokens_is_refused_with_how_to_fix_it(string urls)
    {
        using var server = ServerProcess.Start(WorkDir, ["--urls", urls, "--storage", $"sqlite:{DatabasePath}"]);

        var code = await server.WaitForExitAsync(Quick);

        Assert.True(code == 2, $"exit code {code}; {server.Describe()}");
        Assert.Contains("without API tokens", server.Stderr);
        Assert.Contains("JOBWATCH_TOKENS", server.Stderr);
        Assert.Contains("--allow-anonymous", server.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(WorkDir));
    }

    [Fact]
    public async Task Urls_from_the_environment_are_checked_like_the_command_line()
    {
        using var server = ServerProcess.Start(WorkDir, ["--storage", $"sqlite:{DatabasePath}"],
            new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "http://0.0.0.0:0" });

        Assert.Equal(2, await server.WaitForExitAsync(Quick));
        Assert.Contains("without API tokens", server.Stderr);
    }

    [Fact]
    public async Task A_malformed_token_list_exits_2_naming_the_variable_without_echoing_secrets()
    {
        using var server = ServerProcess.Start(WorkDir, ["--storage", $"sqlite:{DatabasePath}"],
            new Dictionary<string, string?> { ["JOBWATCH_TOKENS"] = "viewer:fine-secret,wizard:hunter2" });

        Assert.Equal(2, await server.WaitForExitAsync(Quick));
        Assert.Contains("JOBWATCH_TOKENS: entry 2", server.Stderr);
        Assert.DoesNotContain("hunter2", server.Stderr);
        Assert.DoesNotContain("fine-secret", server.Stderr);
    }

    [Fact]
    public async Task With_tokens_the_server_listens_beyond_loopback_and_requires_them_and_never_logs_them()
    {
        const string viewer = "viewer-secret-4d1f", wrong = "guessed-token-9a7c";
        using var server = ServerProcess.Start(WorkDir, ["--demo", "--urls", "http://0.0.0.0:0", "--storage", $"sqlite:{DatabasePath}", "--log-format", "json"],
            new Dictionary<string, string?> { ["JOBWATCH_TOKENS"] = $"viewer:{viewer},operator:op-secret-77", ["Logging__LogLevel__Microsoft"] = "Debug" });
        var address = await server.WaitForListeningAsync(StartTimeout);
        var local = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;

        using var http = new HttpClient { BaseAddress = local };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/status-codes")).StatusCode);
        // An orchestrator's probes carry no token.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);
        using (var ready = JsonDocument.Parse(await http.GetStringAsync("health/ready")))
        {
            Assert.Equal("healthy", ready.RootElement.GetProperty("checks").GetProperty("jobwatch-storage").GetProperty("status").GetString());
        }
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/status-codes")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", viewer);
        var health = await http.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (var doc = JsonDocument.Parse(await health.Content.ReadAsStringAsync()))
        {
            Assert.Equal("sqlite", doc.RootElement.GetProperty("storage").GetProperty("backend").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/status-codes")).StatusCode);

        await server.TerminateAsync();
        await server.WaitForExitAsync(ExitTimeout);
        var output = string.Join('\n', server.StdoutLines) + server.Stderr;
        Assert.DoesNotContain(viewer, output);
        Assert.DoesNotContain(wrong, output);
        Assert.DoesNotContain("op-secret-77", output);
    }
}
