namespace Jobwatch;

/// <summary>Options of the PostgreSQL store (<c>UsePostgres</c>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db;Database=app;Username=jobwatch;Password=…</c>. Its
    /// <c>Command Timeout</c> (default 30 s) bounds every store call; <c>Search Path</c> is replaced by
    /// <see cref="Schema"/>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The schema that holds Jobwatch's tables, created by the first migration when missing. Lower-case
    /// letters, digits and '_', starting with a letter or '_', at most 63 characters. Several
    /// applications (or test runs) can share one database in different schemas; they never see each
    /// other's jobs, wake-ups or events.
    /// </summary>
    public string Schema { get; set; } = "jobwatch";
}
