using System.Globalization;
using System.Text.Json;
using Jobwatch.Audit;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Http;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Contracts.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using P = Jobwatch.Contracts.Audit.AuditParameters;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary>
/// <c>GET /api/v1/audit</c>: the operator audit trail (retry, bulk retry, cancel, delete, pause, resume, enqueue), newest
/// first, filtered by actor, action, target and time, keyset-paginated by entry id. Operators and admins read it: it
/// names who did what, which a viewer need not see. Parameters are read as text so each bad one gets a problem naming it.
/// </summary>
internal static class AuditApi
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("", ListAsync)
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("ListAuditEntries")
            .WithSummary("Who did what to which job or queue, and when: newest first, filtered by actor, action, target and time.")
            .Produces<AuditListResponse>()
            .ProducesProblem(HttpStatus.Status400BadRequest);

    private static async Task<IResult> ListAsync(HttpContext http, IAuditTrail audit, CancellationToken ct)
    {
        var (query, problem) = Parse(http.Request.Query);
        if (problem is not null)
        {
            return problem;
        }
        var page = await audit.ListAsync(query!, ct);
        var body = new AuditListResponse(
            page.Entries.Select(ToDto).ToArray(),
            page.NextBefore?.ToString(CultureInfo.InvariantCulture),
            query!.Limit);
        return TypedResults.Json(body, ApiJson.ResponseOptions);
    }

    internal static (AuditQuery? Query, IResult? Problem) Parse(IQueryCollection raw)
    {
        foreach (var key in raw.Keys)
        {
            if (!P.All.Contains(key, StringComparer.Ordinal))
            {
                return Fail(key, $"'{key}' is not a parameter of the audit listing (a typo would otherwise silently widen it). Supported parameters: {string.Join(", ", P.All)}.");
            }
            if (raw[key].Count > 1)
            {
                return Fail(key, $"{key} was given {raw[key].Count} times; give it once (filters match exactly one value).");
            }
        }
        string? Text(string key) => raw.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v.ToString()) ? v.ToString() : null;

        var limit = P.DefaultLimit;
        if (Text(P.Limit) is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > P.MaxLimit))
        {
            return Fail(P.Limit, $"limit must be a whole number from 1 to {P.MaxLimit} (got '{l}'); page through more with cursor.");
        }
        long? before = null;
        if (Text(P.Cursor) is { } c)
        {
            if (!long.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return Fail(P.Cursor, $"cursor must be the next_cursor of a previous page (got '{c}'); leave it out for the newest entries.");
            }
            before = id;
        }
        foreach (var (key, max) in new[] { (P.Actor, AuditTrail.MaxActorLength), (P.Action, AuditTrail.MaxActionLength), (P.Target, AuditTrail.MaxTargetLength) })
        {
            if (Text(key) is { } value && value.Length > max)
            {
                return Fail(key, $"{key} is {value.Length} characters long; entries never have more than {max}, so nothing could match.");
            }
        }
        if (!TryTime(P.Since, Text(P.Since), out var since, out var problem) || !TryTime(P.Until, Text(P.Until), out var until, out problem))
        {
            return (null, problem);
        }
        if (since is not null && until is not null && since > until)
        {
            return Fail(P.Since, $"since ({since:O}) is later than until ({until:O}); swap them.");
        }
        return (new AuditQuery
        {
            Actor = Text(P.Actor),
            Action = Text(P.Action),
            Target = Text(P.Target),
            Since = since,
            Until = until,
            Before = before,
            Limit = limit,
        }, null);
    }

    private static bool TryTime(string name, string? value, out DateTimeOffset? time, out IResult? problem)
    {
        time = null;
        problem = null;
        if (value is null)
        {
            return true;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            time = t;
            return true;
        }
        var hint = value.Contains(' ', StringComparison.Ordinal) ? " A '+' in a URL means a space: write the offset as %2B01:00, or use Z." : "";
        problem = ApiProblems.InvalidParameter(name, $"{name} must be an ISO 8601 time such as 2025-01-31T08:00:00Z (got '{value}').{hint}");
        return false;
    }

    private static (AuditQuery?, IResult?) Fail(string parameter, string detail) => (null, ApiProblems.InvalidParameter(parameter, detail));

    private static AuditEntryDto ToDto(AuditEntry e) => new(e.Id, e.At, e.Actor, e.Action, e.Target, Details(e.Details), e.Outcome);

    /// <summary>Details are stored as JSON text (the trail checks they parse); anything else travels as a string.</summary>
    private static JsonElement? Details(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
