namespace Jobwatch.Server.Tests;

/// <summary>Bad arguments never start a host: a clear message on stderr and exit code 2.</summary>
public sealed class CommandLineTests : ServerTestBase
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Unknown_storage_scheme_exits_2_with_a_clear_message_that_does_not_echo_the_value()
    {
        using var server = ServerProcess.Start(WorkDir, ["--storage", "foo:bar", "--demo"]);

        var code = await server.WaitForExitAsync(Quick);

        Assert.Equal(2, code);
        Assert.Contains("Unknown storage 'foo:…'. Use sqlite:PATH (e.g. sqlite:data/jobwatch.db) or postgres:<connection string>.", server.Stderr);
        Assert.DoesNotContain("bar", server.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(WorkDir));
    }

    [Fact]
    public async Task Bad_storage_from_the_environment_names_the_variable()
    {
        using var server = ServerProcess.Start(WorkDir, [], new Dictionary<string, string?> { ["JOBWATCH_STORAGE"] = "redis:localhost" });

        var code = await server.WaitForExitAsync(Quick);

        Assert.Equal(2, code);
        Assert.Contains("JOBWATCH_STORAGE: Unknown storage 'redis:…'", server.Stderr);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--log-format", "xml")]
    [InlineData("--storage")]
    [InlineData("--storage", "sqlite:")]
    public async Task Bad_arguments_exit_2_and_point_to_help(params string[] args)
    {
        using var server = ServerProcess.Start(WorkDir, args);

        var code = await server.WaitForExitAsync(Quick);

        Assert.True(code == 2, $"exit code {code}; {server.Describe()}");
        Assert.Contains("Run with --help", server.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(WorkDir));
    }

    [Fact]
    public async Task Help_lists_the_options_and_exits_0()
    {
        using var server = ServerProcess.Start(WorkDir, ["--help"]);

        var code = await server.WaitForExitAsync(Quick);

        Assert.Equal(0, code);
        var help = string.Join('\n', server.StdoutLines);
        foreach (var option in new[] { "--demo", "--storage", "--schema", "--no-workers", "--log-format" })
        {
            Assert.Contains(option, help);
        }
    }
}
