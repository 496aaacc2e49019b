using Jobwatch.Storage.Sqlite.Internal;

namespace Jobwatch.Storage.Sqlite;

public sealed partial class SqliteJobStore
{
    public Task<bool> LeaderAttemptElectAsync(LeaderElectParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) => session.Statement(SqlCatalog.LeaderAttemptElect)
            .Set("@name", p.Name)
            .Set("@node_id", p.NodeId)
            .Set("@now", p.Now)
            .Set("@expires_at", p.Now + p.Ttl)
            .Scalar() is not null, ct);
    }

    public Task LeaderResignAsync(LeaderResignParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) => session.Statement(SqlCatalog.LeaderResign)
            .Set("@name", p.Name)
            .Set("@node_id", p.NodeId)
            .Execute(), ct);
    }
}
