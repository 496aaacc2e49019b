using Jobwatch.DependencyInjection;
using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Storage;
using Jobwatch.Storage.Postgres;
using Jobwatch.Storage.Postgres.Internal;
using Jobwatch.Storage.Postgres.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Jobwatch;

public static class PostgresJobwatchBuilderExtensions
{
    /// <summary>
    /// Stores jobs in PostgreSQL, shared by every node that uses the same connection string and schema
    /// (<c>UsePostgres("Host=db;Database=app;Username=jobwatch", o => o.Schema = "jobwatch")</c>).
    /// Also replaces the in-process wake-ups and the (absent) event relay with LISTEN/NOTIFY ones, so a
    /// job enqueued on one node starts at once on another, and live events reach every node's
    /// dashboard and subscribers. Replaces any store registered before: the last <c>Use…</c> call wins.
    /// </summary>
    public static JobwatchBuilder UsePostgres(this JobwatchBuilder builder, string connectionString, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PostgresStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        // At registration, so a bad connection string or schema fails at start-up, naming the option.
        PostgresConnectionFactory.Validate(options);

        var services = builder.Services;
        services.RemoveAll<PostgresJobStore>();
        services.RemoveAll<IJobStore>();
        services.RemoveAll<PostgresNotifications>();
        services.RemoveAll<IJobSignals>();
        services.RemoveAll<IJobEventRelay>();

        services.AddSingleton(sp => new PostgresJobStore(options, sp.GetService<ILogger<PostgresJobStore>>()));
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<PostgresJobStore>());
        services.AddSingleton(sp => new PostgresNotifications(sp.GetRequiredService<PostgresJobStore>(), sp.GetService<ILogger<PostgresNotifications>>()));
        services.AddSingleton<IJobSignals>(sp => new PostgresJobSignals(sp.GetRequiredService<PostgresNotifications>()));
        services.AddSingleton<IJobEventRelay>(sp => new PostgresEventRelay(sp.GetRequiredService<PostgresNotifications>(), sp.GetService<ILogger<PostgresEventRelay>>()));
        return builder;
    }
}
