namespace Jobwatch.Storage;

/// <summary>One audit entry to append; the store assigns the id. Validated by the caller (<c>AuditTrail</c>).</summary>
public sealed record AuditAppendParams(DateTimeOffset At, string Actor, string Action, string? Target, string? Details, string Outcome);

/// <summary>Audit entries to list, newest first by id. Each filter that is set must match exactly.</summary>
public sealed record AuditListParams
{
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? Target { get; init; }
    /// <summary>at ≥ Since.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>at &lt; Until.</summary>
    public DateTimeOffset? Until { get; init; }
    /// <summary>Keyset cursor: id &lt; BeforeId.</summary>
    public long? BeforeId { get; init; }
    /// <summary>Clamped by the store to 1–1000.</summary>
    public int Limit { get; init; } = 50;
}
