using Jobwatch.Storage.Postgres;
using Npgsql;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests run against (<c>JOBWATCH_TEST_POSTGRES</c>), and throwaway schemas
/// in it: each test works in schemas of its own, dropped when it ends, so tests run in parallel on one
/// database without seeing each other.
/// </summary>
internal static class PostgresTestDatabase
{
    public const string Variable = "JOBWATCH_TEST_POSTGRES";

    /// <summary>The connection string; a missing variable fails the test (CI always sets it), never skips it.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. The PostgreSQL storage tests need a server: set {Variable} to an Npgsql connection string, " +
                "e.g. \"Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres\" (scripts/ start a throwaway cluster for CI).");

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchemaName() => "jwtest_" + Guid.NewGuid().ToString("N")[..20];

    public static PostgresStoreOptions Options(string schema) => new() { ConnectionString = ConnectionString, Schema = schema };

    public static async Task DropSchemasAsync(IEnumerable<string> schemas)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return; // the test itself has failed already, saying why
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var schema in schemas.Distinct())
        {
            // Test-made names ("jwtest_" + hex) only, so quoting them is enough.
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Waits for <paramref name="condition"/>, polling, and fails with <paramref name="what"/> after 30 s.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s waiting for {what}.");
            }
            await Task.Delay(20);
        }
    }
}
