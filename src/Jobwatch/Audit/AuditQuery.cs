namespace Jobwatch.Audit;

/// <summary>
/// Which audit entries to list (<see cref="IAuditTrail.ListAsync"/>), newest first. Every filter that
/// is set must match (exact, case-sensitive); null filters match everything.
/// </summary>
public sealed record AuditQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? Target { get; init; }
    /// <summary>Entries at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Entries strictly before this instant.</summary>
    public DateTimeOffset? Until { get; init; }
    /// <summary>Keyset cursor: only entries with an id below this (pass <see cref="AuditPage.NextBefore"/> to get the next page).</summary>
    public long? Before { get; init; }
    /// <summary>Page size, 1–<see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = DefaultLimit;
}

/// <summary>A page of audit entries, newest first.</summary>
/// <param name="NextBefore">The cursor for the next (older) page, or null when this is the last one.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextBefore);
