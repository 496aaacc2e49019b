using Jobwatch.Storage;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Engine;

/// <summary>
/// Holds the "maintenance" leadership so that singleton duties (stalled-job rescue, promotion of due
/// jobs, and later the scheduler and retention) run on exactly one node. The lease is renewed every
/// third of its TTL; a node that stops renewing loses it after the TTL and another takes over.
/// </summary>
public sealed class LeaderElector(IJobStore store, WorkerIdentity worker, TimeProvider time, ILogger<LeaderElector> logger)
    : PeriodicDuty(time, logger)
{
    public const string MaintenanceLeadership = "maintenance";
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    private volatile bool _isLeader;
    private DateTimeOffset _validUntil;

    public override TimeSpan Interval => Ttl / 3;
    public override string DutyName => "Leader election";

    /// <summary>True while this node holds a lease that has not run out.</summary>
    public bool IsLeader => _isLeader && Time.GetUtcNow() < _validUntil;

    protected override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        bool won;
        try
        {
            won = await store.LeaderAttemptElectAsync(new LeaderElectParams(MaintenanceLeadership, worker.Id, now, Ttl), ct).ConfigureAwait(false);
        }
        catch
        {
            // Unknown whether we still hold it: stop acting as leader at once rather than risk overlap.
            SetLeader(false, now);
            throw;
        }
        SetLeader(won, now);
        return false;
    }

    private void SetLeader(bool won, DateTimeOffset now)
    {
        if (won != _isLeader)
        {
            Logger.LogInformation(won ? "This node ({WorkerId}) is now the maintenance leader" : "This node ({WorkerId}) is no longer the maintenance leader", worker.Id);
        }
        // Act as leader for less than the TTL, so a slow renewal can never overlap the next leader.
        _validUntil = won ? now + Ttl * 2 / 3 : DateTimeOffset.MinValue;
        _isLeader = won;
    }

    public async Task ResignAsync()
    {
        if (!_isLeader)
        {
            return;
        }
        _isLeader = false;
        try
        {
            await store.LeaderResignAsync(new LeaderResignParams(MaintenanceLeadership, worker.Id)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Resigning leadership failed; it expires by itself within {Ttl}", Ttl);
        }
    }
}
