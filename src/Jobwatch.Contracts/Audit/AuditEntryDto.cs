using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Audit;

/// <summary>One operator action in the audit trail: who did what to which target, when, and how it ended.</summary>
public sealed record AuditEntryDto(
    /// <summary>Grows with every entry.</summary>
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    /// <summary>Who: "token-name (role)" for API callers, "app" for the application itself.</summary>
    [property: JsonPropertyName("actor")] string Actor,
    /// <summary>What: job.retry, job.cancel, job.delete, job.enqueue, dead_letter.retry, queue.pause, queue.resume, …</summary>
    [property: JsonPropertyName("action")] string Action,
    /// <summary>Which: "job:123", "queue:emails", or null.</summary>
    [property: JsonPropertyName("target")] string? Target,
    /// <summary>The action's particulars (e.g. a bulk retry's filter, count and ids), or null.</summary>
    [property: JsonPropertyName("details")] JsonElement? Details,
    /// <summary>ok, not_found or not_allowed.</summary>
    [property: JsonPropertyName("outcome")] string Outcome);

/// <summary>
/// <c>GET /api/v1/audit</c>: one page, newest first. Pass <c>next_cursor</c> back as <c>cursor</c> (with the same
/// filters) for the next, older page; it is null on the last page.
/// </summary>
public sealed record AuditListResponse(
    [property: JsonPropertyName("entries")] IReadOnlyList<AuditEntryDto> Entries,
    [property: JsonPropertyName("next_cursor")] string? NextCursor,
    [property: JsonPropertyName("limit")] int Limit);
