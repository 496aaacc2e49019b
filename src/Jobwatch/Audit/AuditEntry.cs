namespace Jobwatch.Audit;

/// <summary>One recorded operator action: who did what to which target, when, and how it ended.</summary>
/// <param name="Id">Grows with every entry; the keyset cursor of <see cref="AuditQuery.Before"/>.</param>
/// <param name="At">When the action was taken (the recorder's <see cref="TimeProvider"/>, UTC).</param>
/// <param name="Actor">Who: e.g. <c>"token:ops-alice (operator)"</c>, or <see cref="AuditActors.App"/> for the application itself.</param>
/// <param name="Action">What: one of <see cref="AuditActions"/> (or another lower-case dotted name).</param>
/// <param name="Target">Which: e.g. <c>"job:123"</c>, <c>"queue:default"</c> (see <see cref="AuditTargets"/>); null when the action has no single target.</param>
/// <param name="Details">JSON text with the action's particulars (a bulk retry's filter, count and ids), or null.</param>
/// <param name="Outcome">One of <see cref="AuditOutcomes"/>.</param>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? Target,
    string? Details,
    string Outcome);

/// <summary>An entry to record (<see cref="IAuditTrail.RecordAsync"/>); the trail assigns the id.</summary>
public sealed record AuditRecord
{
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public string? Target { get; init; }
    /// <summary>JSON text (an object, usually); must parse.</summary>
    public string? Details { get; init; }
    public string Outcome { get; init; } = AuditOutcomes.Ok;
    /// <summary>When the action was taken; null means now (the trail's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset? At { get; init; }
}
