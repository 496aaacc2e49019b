using Jobwatch.Storage.Postgres.Internal;

namespace Jobwatch.Storage.Postgres;

public sealed partial class PostgresJobStore
{
    /// <summary>
    /// Takes or renews the named leadership with one UPSERT on <c>leaders</c>. Expiry is judged by the
    /// caller's clock (<see cref="LeaderElectParams.Now"/>), as <see cref="IJobStore"/> requires, not by
    /// the database's <c>now()</c>.
    /// </summary>
    /// <remarks>
    /// The database clock was tried and rejected. It would make leadership immune to clock skew between
    /// nodes (one clock judges every lease), but it breaks the contract that the store never reads a
    /// clock: the conformance suite (and any test on a fake TimeProvider) elects across simulated time,
    /// and with now() a lease taken "at T0" cannot expire "at T0 + 10.001 s" until 10 real seconds
    /// pass. With the caller's clock, overlap needs skew beyond the engine's safety margin:
    /// <see cref="Engine.LeaderElector"/> acts for at most 2/3 of the 15 s TTL after the instant it
    /// sent the request, so another node can take over early only if its clock runs more than 5 s
    /// ahead. NTP keeps servers within milliseconds; <see cref="MigrateAsync"/> logs a warning at
    /// start-up when this machine is more than 2 s off the server.
    /// </remarks>
    public async Task<bool> LeaderAttemptElectAsync(LeaderElectParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.LeaderAttemptElect)
            .Set("name", p.Name)
            .Set("node_id", p.NodeId)
            .Set("now", p.Now)
            .Set("expires_at", p.Now + p.Ttl);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null;
    }

    public async Task LeaderResignAsync(LeaderResignParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.LeaderResign)
            .Set("name", p.Name)
            .Set("node_id", p.NodeId);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
