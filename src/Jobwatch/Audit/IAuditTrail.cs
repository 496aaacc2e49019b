namespace Jobwatch.Audit;

/// <summary>
/// The operator audit trail: who did what, to what, when, and how it ended. <c>IJobClient</c> records
/// retry, bulk retry, cancel, delete, pause and resume itself; hosts record what only they see (API
/// enqueues, run starts) through <see cref="RecordAsync"/>.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Appends an entry and returns it as stored. Throws <see cref="ArgumentException"/> when a field is not valid, saying which and why.</summary>
    Task<AuditEntry> RecordAsync(AuditRecord record, CancellationToken ct = default);

    /// <summary>Entries matching <paramref name="query"/>, newest first (by id), one page at a time.</summary>
    Task<AuditPage> ListAsync(AuditQuery query, CancellationToken ct = default);
}
