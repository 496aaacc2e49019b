using Jobwatch.Model;

namespace Jobwatch.Server.Tests.Postgres;

/// <summary>
/// The server on PostgreSQL (<c>--storage postgres:…</c> or <c>JOBWATCH_STORAGE</c>), each test in a fresh schema:
/// the demo's jobs run and complete, SIGTERM exits 0, and the connection string's password is never printed.
/// </summary>
[Collection(ServerProcessCollection.Name)]
public sealed class PostgresServerTests : ServerTestBase, IAsyncLifetime
{
    private static readonly TimeSpan FillTimeout = TimeSpan.FromSeconds(90);
    private readonly string _schema = TestPostgres.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestPostgres.DropSchemaAsync(_schema);

    [Fact]
    public async Task Demo_jobs_run_and_complete_in_a_fresh_schema_and_sigterm_exits_0()
    {
        using var server = ServerProcess.Start(WorkDir,
            ["--demo", "--storage", $"postgres:{TestPostgres.WithDecoyPassword}", "--schema", _schema, "--log-format", "json"]);
        await WaitForEngineAsync(server);
        await using var stored = TestPostgres.OpenMonitor(_schema);
        var monitor = stored.Monitor();

        // Several families, each with a job the workers finished: jobs are fetched, run and committed through PostgreSQL.
        await Eventually.HoldsAsync("completed jobs of at least three demo job names", async () =>
        {
            var completed = (await monitor.GetHistoryAsync(limit: 1000))
                .Where(v => v.Job.State == JobState.Completed && !v.Job.IsExternal)
                .Select(v => v.Job.Name).ToHashSet(StringComparer.Ordinal);
            return completed.Count >= 3 ? null : $"completed names so far: {string.Join(", ", completed)}";
        }, FillTimeout, server.Describe);
        var queues = await monitor.GetQueuesAsync();
        Assert.True(queues.Sum(q => q.Counts.Completed) >= 3, $"completed by queue: {string.Join(", ", queues.Select(q => $"{q.Queue}={q.Counts.Completed}"))}");

        await server.TerminateAsync();
        var code = await server.WaitForExitAsync(ExitTimeout);

        Assert.True(code == 0, $"exit code {code}; {server.Describe()}");
        var left = await monitor.GetActiveAsync();
        Assert.True(left.Count == 0, $"still active after shutdown: {string.Join(", ", left.Select(v => $"{v.Job.Id} {v.Job.Name}"))}; " +
            $"outcomes refused: {string.Join('\n', server.StdoutLines.Where(l => l.Contains("was not saved", StringComparison.Ordinal)))}; {server.Describe()}");
        var lines = JsonLogLine.ParseAll(server.StdoutLines);
        var starting = lines.First(l => l.Message.StartsWith("Jobwatch server starting", StringComparison.Ordinal));
        Assert.Contains($"schema {_schema}", starting.Message);
        Assert.Contains("Host=", starting.Message);
        AssertPasswordNeverPrinted(server);
    }

    [Fact]
    public async Task Storage_from_JOBWATCH_STORAGE_migrates_the_schema_and_stops_on_sigterm()
    {
        using var server = ServerProcess.Start(WorkDir, ["--no-workers", "--schema", _schema, "--log-format", "json"],
            new Dictionary<string, string?> { ["JOBWATCH_STORAGE"] = $"postgres:{TestPostgres.WithDecoyPassword}" });

        var line = await WaitForEngineAsync(server);
        Assert.Contains("no workers", line);
        await using (var stored = TestPostgres.OpenMonitor(_schema))
        {
            // Reading works only if the server created the schema's tables.
            Assert.Empty(await stored.Monitor().GetActiveAsync());
        }

        await server.TerminateAsync();
        var code = await server.WaitForExitAsync(ExitTimeout);
        Assert.True(code == 0, $"exit code {code}; {server.Describe()}");
        AssertPasswordNeverPrinted(server);
    }

    private static void AssertPasswordNeverPrinted(ServerProcess server)
    {
        Assert.DoesNotContain(TestPostgres.DecoyPassword, string.Join('\n', server.StdoutLines));
        Assert.DoesNotContain(TestPostgres.DecoyPassword, server.Stderr);
    }
}
