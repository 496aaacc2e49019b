using Jobwatch.Monitoring;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Server.Tests;

/// <summary>Reads the server's SQLite file through the Jobwatch API (IJobMonitor), without starting an engine.</summary>
public sealed class StoredJobs : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoredJobs(ServiceProvider services)
    {
        _services = services;
        Monitor = services.GetRequiredService<IJobMonitor>();
    }

    public IJobMonitor Monitor { get; }

    /// <summary>Open only after the server has migrated the file (it logs "Jobwatch started").</summary>
    public static StoredJobs Open(string databasePath)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJobwatch(o => o.RunWorkers = false)
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString());
        return new StoredJobs(services.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

public static class Eventually
{
    /// <summary>Polls <paramref name="missing"/> (null when satisfied, else what is still missing) until the deadline, then fails saying what was missing.</summary>
    public static async Task HoldsAsync(string what, Func<Task<string?>> missing, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var gap = await missing();
            if (gap is null) return;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not hold within {timeout}: {gap}. {context?.Invoke()}");
            }
            await Task.Delay(500);
        }
    }
}
