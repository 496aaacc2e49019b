using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>
/// benchmarks/pgbench/commit-floor.sh binds JobInsertOne.sql's parameters by name and runs it in a
/// schema built from the migrations: these tests keep it working as the statement and schema change.
/// </summary>
public sealed partial class CommitFloorScriptTests
{
    [Fact]
    public async Task Measures_both_statements_and_really_enqueues_then_drops_its_schema()
    {
        var (exit, output, error) = await RunAsync(LibpqUrl(), "1", "1");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        var round = RoundLine().Match(output);
        Assert.True(round.Success, output);
        Assert.True(int.Parse(round.Groups["trivial"].Value) > 0, output);
        Assert.True(int.Parse(round.Groups["enqueue"].Value) > 0, output);
        // The enqueue rounds wrote real jobs, each with its "created" timeline event.
        var written = WrittenLine().Match(output);
        Assert.True(written.Success, output);
        Assert.True(long.Parse(written.Groups["jobs"].Value) > 0, output);
        Assert.Equal(written.Groups["jobs"].Value, written.Groups["timeline"].Value);
        Assert.Empty(await LeftoverSchemasAsync());
    }

    [Fact]
    public async Task Bad_rounds_are_refused_with_exit_2_and_a_reason()
    {
        var (exit, _, error) = await RunAsync(LibpqUrl(), "0", "1");

        Assert.Equal(2, exit);
        Assert.Contains("rounds and seconds must be positive integers", error);
    }

    [GeneratedRegex(@"round 1: trivial (?<trivial>\d+) tx/s, enqueue (?<enqueue>\d+) tx/s")]
    private static partial Regex RoundLine();

    [GeneratedRegex(@"(?<jobs>\d+) jobs, (?<timeline>\d+) timeline rows written")]
    private static partial Regex WrittenLine();

    private static string LibpqUrl()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString);
        var user = Uri.EscapeDataString(b.Username ?? "postgres");
        var password = b.Password is { Length: > 0 } p ? ":" + Uri.EscapeDataString(p) : "";
        return $"postgres://{user}{password}@{b.Host}:{b.Port}/{Uri.EscapeDataString(b.Database ?? "postgres")}";
    }

    private static async Task<IReadOnlyList<string>> LeftoverSchemasAsync()
    {
        // The script names its schema after its pid; a concurrent run of these tests is the only other user.
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'jobwatch\\_floor\\_%'", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(RepoRoot(), "benchmarks", "pgbench", "commit-floor.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The test cluster's own client tools, when the test command says where they are.
        if (Environment.GetEnvironmentVariable("JOBWATCH_TEST_PG_BIN") is { Length: > 0 } bin)
        {
            start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("commit-floor.sh did not finish within 60 s.");
        }
        return (process.ExitCode, await output, await error);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jobwatch.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Jobwatch.slnx above {AppContext.BaseDirectory}.");
    }
}
