using System.Globalization;
using System.Text;

namespace Jobwatch.Contracts.Audit;

/// <summary>
/// The query of <c>GET /api/v1/audit</c>. Every filter is optional, exact and case-sensitive, and they combine with AND.
/// <see cref="ToQueryString"/> writes the parameters the server reads (<see cref="AuditParameters"/>).
/// </summary>
public sealed record AuditSearchQuery
{
    /// <summary>e.g. "ops-alice (operator)".</summary>
    public string? Actor { get; init; }
    /// <summary>e.g. "job.retry".</summary>
    public string? Action { get; init; }
    /// <summary>e.g. "job:123" or "queue:emails".</summary>
    public string? Target { get; init; }
    /// <summary>Entries at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Entries before this instant.</summary>
    public DateTimeOffset? Until { get; init; }
    /// <summary>1–500; the server's default is 50.</summary>
    public int? Limit { get; init; }
    /// <summary>The previous page's <c>next_cursor</c>.</summary>
    public string? Cursor { get; init; }

    public string ToQueryString()
    {
        var sb = new StringBuilder();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                sb.Append(sb.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
        Add(AuditParameters.Actor, Actor);
        Add(AuditParameters.Action, Action);
        Add(AuditParameters.Target, Target);
        Add(AuditParameters.Since, Since?.ToString("O", CultureInfo.InvariantCulture));
        Add(AuditParameters.Until, Until?.ToString("O", CultureInfo.InvariantCulture));
        Add(AuditParameters.Limit, Limit?.ToString(CultureInfo.InvariantCulture));
        Add(AuditParameters.Cursor, Cursor);
        return sb.ToString();
    }
}

/// <summary>The query parameter names of <c>GET /api/v1/audit</c>; any other name is refused, so a typo never silently widens a search.</summary>
public static class AuditParameters
{
    public const string Actor = "actor";
    public const string Action = "action";
    public const string Target = "target";
    public const string Since = "since";
    public const string Until = "until";
    public const string Limit = "limit";
    public const string Cursor = "cursor";

    public static IReadOnlyList<string> All { get; } = [Actor, Action, Target, Since, Until, Limit, Cursor];

    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}
