using Jobwatch.Realtime.Tests.Infrastructure;
using Jobwatch.Storage.Postgres.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Realtime.Tests.Postgres;

/// <summary>
/// Servers sharing one fresh PostgreSQL schema, each with its own service provider, store, engine and event bus, as
/// separate nodes would be. Disposing stops them and drops the schema.
/// </summary>
public sealed class PostgresNodes : IAsyncDisposable
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly List<RealtimeTestServer> _nodes = [];

    public async Task<RealtimeTestServer> StartAsync(Action<RealtimeServerOptions> configure)
    {
        _ = PostgresTestDatabase.ConnectionString; // fails here, saying why, when the variable is missing
        var node = await RealtimeTestServer.StartAsync(o =>
        {
            o.PostgresSchema = _schema;
            configure(o);
        });
        _nodes.Add(node);
        return node;
    }

    /// <summary>Waits until every node LISTENs, so no notification sent from now on is missed.</summary>
    public async Task WhenAllListeningAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Services.GetRequiredService<PostgresNotifications>().WhenListeningAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        await PostgresTestDatabase.DropSchemaAsync(_schema);
    }
}
