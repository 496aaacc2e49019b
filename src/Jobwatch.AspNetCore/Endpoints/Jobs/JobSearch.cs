using System.Globalization;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Contracts.Jobs;
using Jobwatch.Model;
using Jobwatch.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using P = Jobwatch.Contracts.Jobs.JobSearchParameters;

namespace Jobwatch.AspNetCore.Endpoints.Jobs;

/// <summary>
/// The query parameters of <c>GET /api/v1/jobs</c>, bound as text so that every malformed value gets our own problem
/// naming the parameter (typed binding would answer with a bare 400).
/// </summary>
internal sealed class JobSearchArgs
{
    [FromQuery(Name = P.Queue)] public string? Queue { get; set; }
    [FromQuery(Name = P.Name)] public string? Name { get; set; }
    /// <summary>waiting, delayed, active, completed, failed, cancelled: repeat the parameter or separate with commas.</summary>
    [FromQuery(Name = P.State)] public string[]? State { get; set; }
    [FromQuery(Name = P.StatusCode)] public string? StatusCode { get; set; }
    /// <summary>Matches created_by or updated_by.</summary>
    [FromQuery(Name = P.Source)] public string? Source { get; set; }
    /// <summary>ISO 8601, e.g. 2025-01-31T00:00:00Z: created at or after.</summary>
    [FromQuery(Name = P.CreatedAfter)] public string? CreatedAfter { get; set; }
    /// <summary>ISO 8601: created before.</summary>
    [FromQuery(Name = P.CreatedBefore)] public string? CreatedBefore { get; set; }
    /// <summary>ISO 8601: finished at or after (only finished jobs match).</summary>
    [FromQuery(Name = P.FinishedAfter)] public string? FinishedAfter { get; set; }
    /// <summary>ISO 8601: finished before (only finished jobs match).</summary>
    [FromQuery(Name = P.FinishedBefore)] public string? FinishedBefore { get; set; }
    /// <summary>true: only external runs; false: only queued jobs.</summary>
    [FromQuery(Name = P.External)] public string? External { get; set; }
    /// <summary>Case-insensitive text in args, metadata or last error.</summary>
    [FromQuery(Name = P.Text)] public string? Q { get; set; }
    /// <summary>newest (default) or recently_finished.</summary>
    [FromQuery(Name = P.Order)] public string? Order { get; set; }
    /// <summary>1–500, default 50.</summary>
    [FromQuery(Name = P.Limit)] public string? Limit { get; set; }
    /// <summary>next_cursor of the previous page.</summary>
    [FromQuery(Name = P.Cursor)] public string? Cursor { get; set; }
}

internal static class JobSearch
{
    public const int MaxTextLength = 200;
    private static readonly string StateNames = string.Join(", ", Enum.GetValues<JobState>().Select(s => s.ToName()));

    /// <summary>The store query (asking one row more than the page, to know whether another page follows), or the problem.</summary>
    public static (JobListParams? Query, IResult? Problem) Parse(JobSearchArgs a, IQueryCollection raw)
    {
        foreach (var key in raw.Keys)
        {
            if (!P.All.Contains(key, StringComparer.Ordinal))
            {
                return (null, UnknownParameter(key));
            }
        }
        var limit = P.DefaultLimit;
        if (a.Limit is not null && (!int.TryParse(a.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > P.MaxLimit))
        {
            return Fail(P.Limit, $"limit must be a whole number from 1 to {P.MaxLimit} (got '{a.Limit}'); page through more with cursor.");
        }
        JobListOrder order;
        switch (a.Order)
        {
            case null or P.OrderNewest:
                order = JobListOrder.Newest;
                break;
            case P.OrderRecentlyFinished:
                order = JobListOrder.RecentlyFinished;
                break;
            default:
                return Fail(P.Order, $"order must be '{P.OrderNewest}' or '{P.OrderRecentlyFinished}' (got '{a.Order}').");
        }
        JobListCursor? after = null;
        if (a.Cursor is not null && !JobCursor.TryDecode(a.Cursor, order, out after, out var cursorError))
        {
            return Fail(P.Cursor, cursorError);
        }
        var states = new List<JobState>();
        foreach (var part in (a.State ?? []).SelectMany(s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!JobStateNames.TryParse(part, out var state))
            {
                return Fail(P.State, $"'{part}' is not a job state; use one or more of {StateNames} (repeat state= or separate with commas).");
            }
            if (!states.Contains(state))
            {
                states.Add(state);
            }
        }
        int? statusCode = null;
        if (a.StatusCode is not null)
        {
            if (!int.TryParse(a.StatusCode, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 999)
            {
                return Fail(P.StatusCode, $"status_code must be a three-digit status code such as 200 or 429 (got '{a.StatusCode}'); GET /api/v1/status-codes lists them.");
            }
            statusCode = code;
        }
        bool? external = null;
        if (a.External is not null)
        {
            if (!bool.TryParse(a.External, out var e))
            {
                return Fail(P.External, $"external must be true or false (got '{a.External}').");
            }
            external = e;
        }
        if (!TryTime(P.CreatedAfter, a.CreatedAfter, out var from, out var problem) || !TryTime(P.CreatedBefore, a.CreatedBefore, out var to, out problem))
        {
            return (null, problem);
        }
        if (from is not null && to is not null && from > to)
        {
            return Fail(P.CreatedAfter, $"created_after ({from:O}) is later than created_before ({to:O}); swap them.");
        }
        if (!TryTime(P.FinishedAfter, a.FinishedAfter, out var finishedFrom, out problem) || !TryTime(P.FinishedBefore, a.FinishedBefore, out var finishedTo, out problem))
        {
            return (null, problem);
        }
        if (finishedFrom is not null && finishedTo is not null && finishedFrom > finishedTo)
        {
            return Fail(P.FinishedAfter, $"finished_after ({finishedFrom:O}) is later than finished_before ({finishedTo:O}); swap them.");
        }
        foreach (var (name, value) in new[] { (P.Queue, a.Queue), (P.Name, a.Name), (P.Source, a.Source), (P.Text, a.Q) })
        {
            if (value is { Length: > MaxTextLength })
            {
                return Fail(name, $"{name} is {value.Length} characters long; at most {MaxTextLength} are accepted.");
            }
        }
        return (new JobListParams
        {
            Queue = Blank(a.Queue),
            Name = Blank(a.Name),
            States = states.Count == 0 ? null : states,
            StatusCode = statusCode,
            Source = Blank(a.Source),
            From = from,
            To = to,
            FinishedFrom = finishedFrom,
            FinishedTo = finishedTo,
            Text = Blank(a.Q),
            External = external,
            Order = order,
            After = after,
            Limit = limit + 1,
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

    private static IResult UnknownParameter(string key)
    {
        var supported = string.Join(", ", P.All);
        return ApiProblems.InvalidParameter(key, $"'{key}' is not a parameter of this search (a typo would otherwise silently widen it). Supported parameters: {supported}.");
    }

    private static (JobListParams?, IResult?) Fail(string parameter, string detail) => (null, ApiProblems.InvalidParameter(parameter, detail));

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
