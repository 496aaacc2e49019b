using Jobwatch.DependencyInjection;
using Jobwatch.Storage;
using Jobwatch.Storage.Sqlite;
using Jobwatch.Storage.Sqlite.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobwatch;

public static class SqliteJobwatchBuilderExtensions
{
    /// <summary>
    /// Stores jobs in one SQLite file (<c>UseSqlite("Data Source=data/jobwatch.db")</c>, or just a path).
    /// Replaces any store registered before, so the last <c>Use…</c> call wins.
    /// </summary>
    public static JobwatchBuilder UseSqlite(this JobwatchBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SqliteStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        // At registration, so a missing connection string fails at start-up, naming the option.
        SqliteConnectionFactory.Validate(options);

        builder.Services.RemoveAll<IJobStore>();
        builder.Services.AddSingleton<IJobStore>(_ => new SqliteJobStore(options));
        return builder;
    }
}
