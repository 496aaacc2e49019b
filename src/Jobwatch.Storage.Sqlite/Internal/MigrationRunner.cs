namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// Applies the embedded migrations not yet recorded in <c>schema_migrations</c>. Runs inside the
/// writer's BEGIN IMMEDIATE transaction: a second process starting at the same moment waits for the
/// lock, then finds every migration recorded and applies nothing.
/// </summary>
internal static class MigrationRunner
{
    public static int Apply(SqliteSession session)
    {
        session.Statement(SqlCatalog.MigrationsEnsureTable).Execute();

        var applied = new HashSet<int>();
        using (var reader = session.Statement(SqlCatalog.MigrationsListApplied).Query())
        {
            while (reader.Read())
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
            // Run once and never again: no point keeping a prepared statement for it.
            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = migration.Sql;
                command.ExecuteNonQuery();
            }
            session.Statement(SqlCatalog.MigrationsRecord)
                .Set("@version", migration.Version)
                .Set("@name", migration.Name)
                // Bookkeeping only, never compared with job times, so the wall clock is fine here.
                .Set("@applied_at", DateTimeOffset.UtcNow)
                .Execute();
            count++;
        }
        return count;
    }
}
