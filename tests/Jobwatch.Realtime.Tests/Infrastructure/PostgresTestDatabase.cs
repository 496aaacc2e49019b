using Npgsql;

namespace Jobwatch.Realtime.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run against (<c>JOBWATCH_TEST_POSTGRES</c>, which scripts/test.sh provides), and
/// throwaway schemas in it. A missing variable fails the test, never skips it (as in the storage tests).
/// </summary>
internal static class PostgresTestDatabase
{
    public const string Variable = "JOBWATCH_TEST_POSTGRES";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. The cross-node realtime tests need a PostgreSQL server: set {Variable} to an Npgsql connection string, " +
                "e.g. \"Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres\" (scripts/test.sh starts a throwaway cluster).");

    public static string NewSchemaName() => "jwtest_rt_" + Guid.NewGuid().ToString("N")[..16];

    public static async Task DropSchemaAsync(string schema)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return; // the test itself has failed already, saying why
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        // Test-made names ("jwtest_rt_" + hex) only, so quoting them is enough.
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
