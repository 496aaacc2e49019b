using System.Globalization;
using System.Text;

namespace Jobwatch.Contracts.Jobs;

/// <summary>
/// The query of <c>GET /api/v1/jobs</c>. Every filter is optional and they combine with AND; several states match
/// any of them. <see cref="ToQueryString"/> writes the parameters the server reads (<see cref="JobSearchParameters"/>).
/// </summary>
public sealed record JobSearchQuery
{
    public string? Queue { get; init; }
    public string? Name { get; init; }
    /// <summary>waiting, delayed, active, completed, failed, cancelled; any of them.</summary>
    public IReadOnlyList<string>? States { get; init; }
    public int? StatusCode { get; init; }
    /// <summary>Matches created_by or updated_by.</summary>
    public string? Source { get; init; }
    /// <summary>Created at or after.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }
    /// <summary>Created before.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }
    /// <summary>Finished at or after (only finished jobs match).</summary>
    public DateTimeOffset? FinishedAfter { get; init; }
    /// <summary>Finished before (only finished jobs match).</summary>
    public DateTimeOffset? FinishedBefore { get; init; }
    /// <summary>True: only external runs; false: only queued jobs.</summary>
    public bool? External { get; init; }
    /// <summary>Case-insensitive substring of args, metadata or last error.</summary>
    public string? Text { get; init; }
    /// <summary>newest (default) or recently_finished.</summary>
    public string? Order { get; init; }
    /// <summary>1–500; the server's default is 50.</summary>
    public int? Limit { get; init; }
    /// <summary>The previous page's <c>next_cursor</c>.</summary>
    public string? Cursor { get; init; }

    public string ToQueryString()
    {
        var sb = new StringBuilder();
        void Add(string key, string? value)
        {
            if (value is null)
            {
                return;
            }
            sb.Append(sb.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }
        Add(JobSearchParameters.Queue, Queue);
        Add(JobSearchParameters.Name, Name);
        if (States is { Count: > 0 })
        {
            Add(JobSearchParameters.State, string.Join(',', States));
        }
        Add(JobSearchParameters.StatusCode, StatusCode?.ToString(CultureInfo.InvariantCulture));
        Add(JobSearchParameters.Source, Source);
        Add(JobSearchParameters.CreatedAfter, CreatedAfter?.ToString("O", CultureInfo.InvariantCulture));
        Add(JobSearchParameters.CreatedBefore, CreatedBefore?.ToString("O", CultureInfo.InvariantCulture));
        Add(JobSearchParameters.FinishedAfter, FinishedAfter?.ToString("O", CultureInfo.InvariantCulture));
        Add(JobSearchParameters.FinishedBefore, FinishedBefore?.ToString("O", CultureInfo.InvariantCulture));
        Add(JobSearchParameters.External, External is { } e ? (e ? "true" : "false") : null);
        Add(JobSearchParameters.Text, Text);
        Add(JobSearchParameters.Order, Order);
        Add(JobSearchParameters.Limit, Limit?.ToString(CultureInfo.InvariantCulture));
        Add(JobSearchParameters.Cursor, Cursor);
        return sb.ToString();
    }
}

/// <summary>The query parameter names of <c>GET /api/v1/jobs</c>; any other name is refused, so a typo never silently widens a search.</summary>
public static class JobSearchParameters
{
    public const string Queue = "queue";
    public const string Name = "name";
    /// <summary>Repeat it or separate states with commas.</summary>
    public const string State = "state";
    public const string StatusCode = "status_code";
    public const string Source = "source";
    public const string CreatedAfter = "created_after";
    public const string CreatedBefore = "created_before";
    public const string FinishedAfter = "finished_after";
    public const string FinishedBefore = "finished_before";
    public const string External = "external";
    public const string Text = "q";
    public const string Order = "order";
    public const string Limit = "limit";
    public const string Cursor = "cursor";

    public static IReadOnlyList<string> All { get; } =
        [Queue, Name, State, StatusCode, Source, CreatedAfter, CreatedBefore, FinishedAfter, FinishedBefore, External, Text, Order, Limit, Cursor];

    public const string OrderNewest = "newest";
    public const string OrderRecentlyFinished = "recently_finished";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}
