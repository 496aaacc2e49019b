using Jobwatch.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jobwatch.Server.Tests.Postgres;

/// <summary>
/// The PostgreSQL server scripts/test.sh starts (<c>JOBWATCH_TEST_POSTGRES</c>) and throwaway schemas in it, so
/// each test sees only the jobs its own server process stored.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "JOBWATCH_TEST_POSTGRES";

    /// <summary>
    /// A password the trust-authenticated test cluster never asks for, appended to every connection string the
    /// server is given, so a test can check that it appears in no output.
    /// </summary>
    public const string DecoyPassword = "decoy-pw-7f3a9c";

    /// <summary>The connection string; a missing variable fails the test (CI always sets it), never skips it.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. The server's PostgreSQL tests need a server: run scripts/test.sh (it starts a throwaway cluster), " +
                $"or set {Variable} to an Npgsql connection string, e.g. \"Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres\".");

    public static string WithDecoyPassword => new NpgsqlConnectionStringBuilder(ConnectionString) { Password = DecoyPassword }.ConnectionString;

    public static string NewSchemaName() => "jwserver_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Reads what the server stored, through IJobMonitor, without starting an engine. Open it after the server has migrated the schema.</summary>
    public static ServiceProvider OpenMonitor(string schema)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJobwatch(o => o.RunWorkers = false).UsePostgres(ConnectionString, o => o.Schema = schema);
        return services.BuildServiceProvider();
    }

    public static IJobMonitor Monitor(this ServiceProvider services) => services.GetRequiredService<IJobMonitor>();

    public static async Task DropSchemaAsync(string schema)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return; // the test has failed already, saying why
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        // Test-made names ("jwserver_" + hex) only, so quoting is enough.
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
