using System.Text.Json;
using System.Text.RegularExpressions;
using Jobwatch.Storage;

namespace Jobwatch.Audit;

/// <summary>The audit trail over the job store: validates entries, stamps them with the clock, pages the listing.</summary>
public sealed partial class AuditTrail(IJobStore store, TimeProvider time) : IAuditTrail
{
    public const int MaxActorLength = 200;
    public const int MaxActionLength = 64;
    public const int MaxTargetLength = 300;
    public const int MaxOutcomeLength = 32;
    public const int MaxDetailsLength = 64 * 1024;

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*$")]
    private static partial Regex OutcomePattern();

    public async Task<AuditEntry> RecordAsync(AuditRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        Validate(record);
        var p = new AuditAppendParams(record.At ?? time.GetUtcNow(), record.Actor, record.Action, record.Target, record.Details, record.Outcome);
        var id = await store.AuditAppendAsync(p, ct).ConfigureAwait(false);
        return new AuditEntry(id, p.At, p.Actor, p.Action, p.Target, p.Details, p.Outcome);
    }

    public async Task<AuditPage> ListAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > AuditQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"Limit must be between 1 and {AuditQuery.MaxLimit} (got {query.Limit}).");
        }
        if (query.Before is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Before, $"Before must be a positive entry id, as returned in NextBefore (got {query.Before}).");
        }
        if (query.Since is { } since && query.Until is { } until && since > until)
        {
            throw new ArgumentException($"Since ({since:O}) must not be later than Until ({until:O}).", nameof(query));
        }
        // One more than asked for tells whether an older page exists, without a count query.
        var rows = await store.AuditListAsync(new AuditListParams
        {
            Actor = NullIfEmpty(query.Actor),
            Action = NullIfEmpty(query.Action),
            Target = NullIfEmpty(query.Target),
            Since = query.Since,
            Until = query.Until,
            BeforeId = query.Before,
            Limit = query.Limit + 1,
        }, ct).ConfigureAwait(false);
        if (rows.Count <= query.Limit)
        {
            return new AuditPage(rows, null);
        }
        var page = rows.Take(query.Limit).ToArray();
        return new AuditPage(page, page[^1].Id);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that is not valid and how to fix it.</summary>
    internal static void Validate(AuditRecord r)
    {
        ValidateActor(r.Actor, nameof(r.Actor));
        if (string.IsNullOrEmpty(r.Action) || r.Action.Length > MaxActionLength || !ActionPattern().IsMatch(r.Action))
        {
            throw new ArgumentException(
                $"Audit action '{r.Action}' is not valid: use 1–{MaxActionLength} lower-case letters, digits and '_' in dot-separated words (e.g. \"{AuditActions.JobRetry}\").",
                nameof(r.Action));
        }
        if (r.Target is not null)
        {
            RequireText(r.Target, nameof(r.Target), MaxTargetLength, "e.g. \"job:123\" or \"queue:default\", or null for none", "target");
        }
        if (string.IsNullOrEmpty(r.Outcome) || r.Outcome.Length > MaxOutcomeLength || !OutcomePattern().IsMatch(r.Outcome))
        {
            throw new ArgumentException(
                $"Audit outcome '{r.Outcome}' is not valid: use 1–{MaxOutcomeLength} lower-case letters, digits and '_' (e.g. \"{AuditOutcomes.Ok}\", \"{AuditOutcomes.NotFound}\").",
                nameof(r.Outcome));
        }
        if (r.Details is not null)
        {
            if (r.Details.Length > MaxDetailsLength)
            {
                throw new ArgumentException($"Audit details are {r.Details.Length} characters; at most {MaxDetailsLength} are kept. Record a summary (counts, the first ids) instead.", nameof(r.Details));
            }
            try
            {
                using var _ = JsonDocument.Parse(r.Details);
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"Audit details must be JSON text (e.g. {{\"count\": 3}}): {e.Message}", nameof(r.Details), e);
            }
        }
    }

    internal static void ValidateActor(string? actor, string paramName) =>
        RequireText(actor, paramName, MaxActorLength, "e.g. \"token:ops-alice (operator)\" or \"app\"", "actor");

    private static void RequireText(string? value, string paramName, int maxLength, string example, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength || value.Any(char.IsControl))
        {
            throw new ArgumentException($"Audit {what} '{value}' is not valid: give 1–{maxLength} characters without control characters ({example}).", paramName);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
