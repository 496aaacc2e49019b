namespace Jobwatch;

/// <summary>Options of the embedded SQLite store (<c>UseSqlite</c>).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// A Microsoft.Data.Sqlite connection string (<c>Data Source=data/jobwatch.db</c>) or just a file
    /// path. The file's folder is created when missing.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long a write waits for another process holding the database's write lock before failing
    /// with SQLITE_BUSY. Writers inside one process queue on a semaphore instead and never spin here.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
