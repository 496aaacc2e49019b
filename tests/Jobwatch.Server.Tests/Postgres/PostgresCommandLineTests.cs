namespace Jobwatch.Server.Tests.Postgres;

/// <summary>PostgreSQL settings the server refuses before connecting: exit 2, a message naming the problem, and never the password.</summary>
public sealed class PostgresCommandLineTests : ServerTestBase
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("postgres:Host=db;Passwrd=hunter-two-9", "unknown key or bad value for 'passwrd'")]
    [InlineData("postgres:Host=db;Port=abc;Password=hunter-two-9", "unknown key or bad value for 'port'")]
    [InlineData("postgres:Database=app;Password=hunter-two-9", "has no Host")]
    [InlineData("postgres:hunter-two-9", "does not parse")]
    public async Task A_bad_connection_string_exits_2_without_echoing_it(string storage, string expected)
    {
        using var server = ServerProcess.Start(WorkDir, ["--storage", storage]);

        var code = await server.WaitForExitAsync(Quick);

        Assert.True(code == 2, $"exit code {code}; {server.Describe()}");
        Assert.Contains(expected, server.Stderr);
        Assert.DoesNotContain("hunter-two-9", server.Stderr + string.Join('\n', server.StdoutLines));
    }

    [Theory]
    [InlineData("postgres:Host=db", "Bad-Name", "--schema: 'Bad-Name' is not a valid schema name")]
    [InlineData("sqlite:x.db", "jobs", "--schema applies to postgres storage only")]
    public async Task A_bad_schema_exits_2(string storage, string schema, string expected)
    {
        using var server = ServerProcess.Start(WorkDir, ["--storage", storage, "--schema", schema]);

        var code = await server.WaitForExitAsync(Quick);

        Assert.True(code == 2, $"exit code {code}; {server.Describe()}");
        Assert.Contains(expected, server.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(WorkDir));
    }

    [Fact]
    public async Task A_bad_schema_from_configuration_exits_2_naming_the_key()
    {
        using var server = ServerProcess.Start(WorkDir, ["--storage", "postgres:Host=db"],
            new Dictionary<string, string?> { ["Jobwatch__Postgres__Schema"] = "No Such" });

        var code = await server.WaitForExitAsync(Quick);

        Assert.True(code == 2, $"exit code {code}; {server.Describe()}");
        Assert.Contains("Jobwatch:Postgres:Schema: 'No Such' is not a valid schema name", server.Stderr);
    }
}
