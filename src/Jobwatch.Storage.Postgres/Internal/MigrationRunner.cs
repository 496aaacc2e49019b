using Npgsql;

namespace Jobwatch.Storage.Postgres.Internal;

/// <summary>
/// Applies the embedded migrations not yet recorded in <c>schema_migrations</c>, all in one
/// transaction under <c>pg_advisory_xact_lock</c>: a node starting at the same moment waits for the
/// lock, then finds every migration recorded and applies nothing; a migration that fails leaves
/// nothing half-done (PostgreSQL DDL is transactional).
/// </summary>
internal static class MigrationRunner
{
    /// <returns>How many migrations were applied, and the server's clock when the lock was taken.</returns>
    public static async Task<(int Applied, DateTimeOffset ServerNow)> ApplyAsync(NpgsqlDataSource dataSource, PostgresConnectionFactory factory, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        await using (var command = new NpgsqlCommand(SqlCatalog.MigrationsLock, connection, transaction))
        {
            await command.Set("key", factory.MigrationLockKey).ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        bool schemaExists;
        DateTimeOffset serverNow;
        await using (var command = new NpgsqlCommand(SqlCatalog.MigrationsInspect, connection, transaction))
        await using (var reader = await command.Set("schema", factory.Schema).ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            await reader.ReadAsync(ct).ConfigureAwait(false);
            schemaExists = reader.GetBoolean(0);
            serverNow = reader.GetFieldValue<DateTimeOffset>(1);
        }

        if (!schemaExists)
        {
            // The one statement with a name in its text: DDL takes no parameters. The name matched the
            // schema pattern (PostgresConnectionFactory.Validate) and is quoted as an identifier.
            var create = "CREATE SCHEMA " + PostgresConnectionFactory.QuoteIdentifier(factory.Schema);
            await using var command = new NpgsqlCommand(create, connection, transaction);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(SqlCatalog.MigrationsEnsureTable, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var applied = new HashSet<int>();
        await using (var command = new NpgsqlCommand(SqlCatalog.MigrationsListApplied, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var count = 0;
        foreach (var migration in SqlCatalog.Migrations)
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                // Index builds and backfills read every job: minutes on a large store, not the default 30 s.
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await using (var command = new NpgsqlCommand(SqlCatalog.MigrationsRecord, connection, transaction))
            {
                await command.Set("version", migration.Version).Set("name", migration.Name).ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            count++;
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (count, serverNow);
    }
}
