using System.Diagnostics;
using Npgsql;

namespace Jobwatch.Process.Tests;

/// <summary>
/// The PostgreSQL server scripts/test.sh starts: JOBWATCH_TEST_POSTGRES (connection string),
/// JOBWATCH_TEST_PG_DATA (data dir) and JOBWATCH_TEST_PG_BIN (bin dir); it runs as the postgres OS user.
/// A missing variable fails the test: a PostgreSQL test that silently skips proves nothing.
/// </summary>
public static class PostgresTestServer
{
    public static string ConnectionString
    {
        get
        {
            var raw = Require("JOBWATCH_TEST_POSTGRES", "a PostgreSQL connection string");
            // The server runs with synchronous_commit=off for speed; with it, an immediate restart loses
            // commits already acknowledged (still in WAL buffers), which would show as double claims.
            // Every test connection commits synchronously (fsync stays off: the OS keeps what was written).
            return new NpgsqlConnectionStringBuilder(raw) { Options = "-c synchronous_commit=on" }.ConnectionString;
        }
    }

    /// <summary>A fresh schema name, unique per test.</summary>
    public static string NewSchema() => "jwp_" + Guid.NewGuid().ToString("N")[..16];

    // Unpooled: a pooled connection would be broken by a server restart in an earlier test.
    private static NpgsqlConnection Open() => new(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);

    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The worker id (host:pid:random) holding the maintenance leadership, or null.</summary>
    public static async Task<string?> MaintenanceLeaderAsync(string schema)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT node_id FROM {schema}.leaders WHERE name = 'maintenance'", connection);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The pid part of a worker id "host:pid:random".</summary>
    public static int PidOf(string workerId)
    {
        var parts = workerId.Split(':');
        return int.Parse(parts[^2], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Crash-restarts the server (<c>pg_ctl restart -m immediate</c>: SIGQUIT, then WAL recovery at start).
    /// Without <c>-o</c>, pg_ctl restarts with the options recorded in postmaster.opts. The log file
    /// (<c>-l</c>) is not among them: without it the new postmaster would inherit, and hold open
    /// forever, the output pipes this process reads to the end.
    /// </summary>
    public static async Task<string> RestartImmediateAsync()
    {
        var data = Require("JOBWATCH_TEST_PG_DATA", "the PostgreSQL data directory");
        var bin = Require("JOBWATCH_TEST_PG_BIN", "the PostgreSQL bin directory");
        var info = new ProcessStartInfo("runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "-t", "60", "-l", Path.Combine(data, "jobwatch-restart.log"), "restart" })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"pg_ctl restart exited with {process.ExitCode}:\n{output}");
        return output;
    }

    private static string Require(string name, string what) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: the PostgreSQL process tests need {what}. Run them through scripts/test.sh, which starts a throwaway cluster and exports it.");
}
