using System.Collections.Concurrent;
using System.Text;
using Jobwatch.Model;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// Builds the JobListAsync query from the base query of the chosen order plus the fragments of
/// <c>JobListFilters.sql</c> for the filters that are set.
/// </summary>
/// <remarks>
/// Why not one static query with <c>(@p IS NULL OR col = @p)</c> terms (as JobRetryMany.sql uses):
/// SQLite compiles one plan per statement text, and such a term can never use an index, so a filter
/// on a rare name or state would scan every job, newest first, to fill a page. With only the set
/// filters present, the planner can use ix_jobs_name_id, ix_jobs_failed, ix_jobs_created … and the
/// state filters can carry the hints that steer it (see JobListFilters.sql). The SQL is still static
/// in the sense that matters: it is built only from the fixed fragments, every value is a parameter,
/// and each combination is composed once and cached.
/// </remarks>
internal static class JobListQuery
{
    private const string Placeholder = "/*filters*/";
    private const int MaxLimit = 1000;

    private static readonly IReadOnlyDictionary<string, string> Fragments = ParseFragments(SqlCatalog.JobListFilters);
    private static readonly ConcurrentDictionary<(JobListOrder Order, Filters Filters), string> Composed = new();

    [Flags]
    private enum Filters
    {
        None = 0,
        Queue = 1 << 0,
        Name = 1 << 1,
        StatusCode = 1 << 2,
        Source = 1 << 3,
        From = 1 << 4,
        To = 1 << 5,
        External = 1 << 6,
        After = 1 << 7,
        // Text is matched by LIKE when it is ASCII, else by jobwatch_contains (see JobListFilters.sql).
        Text = 1 << 8,
        TextUnicode = 1 << 9,
        // How States is matched: at most one of these (see JobListFilters.sql and StateFilters).
        Active = 1 << 10,
        Failed = 1 << 11,
        Cancelled = 1 << 12,
        StateScan = 1 << 13,
        States = 1 << 14,
        FinishedFrom = 1 << 15,
        FinishedTo = 1 << 16,
    }

    /// <summary>True when no job can match: only unfinished states asked for, in "recently finished" order.</summary>
    public static bool MatchesNothing(JobListParams p) =>
        p.Order == JobListOrder.RecentlyFinished && p.States is { Count: > 0 } states && !states.Any(s => s.IsTerminal());

    /// <summary>The prepared, bound statement for <paramref name="p"/>.</summary>
    public static Statement Bind(SqliteSession session, JobListParams p)
    {
        var filters = FiltersOf(p);
        var sql = Composed.GetOrAdd((p.Order, filters), static key => Compose(key.Order, key.Filters));
        var statement = session.Statement(sql).Set("@limit", Math.Clamp(p.Limit, 1, MaxLimit));
        if (filters.HasFlag(Filters.Queue))
        {
            statement.Set("@queue", p.Queue);
        }
        if (filters.HasFlag(Filters.Name))
        {
            statement.Set("@name", p.Name);
        }
        if (filters.HasFlag(Filters.StateScan))
        {
            statement.Set("@state", (int)p.States![0]);
        }
        if (filters.HasFlag(Filters.States))
        {
            statement.Set("@states", "[" + string.Join(',', p.States!.Select(s => (int)s)) + "]");
        }
        if (filters.HasFlag(Filters.StatusCode))
        {
            statement.Set("@status_code", p.StatusCode);
        }
        if (filters.HasFlag(Filters.Source))
        {
            statement.Set("@source", p.Source);
        }
        if (filters.HasFlag(Filters.From))
        {
            statement.Set("@from", p.From);
        }
        if (filters.HasFlag(Filters.To))
        {
            statement.Set("@to", p.To);
        }
        if (filters.HasFlag(Filters.FinishedFrom))
        {
            statement.Set("@finished_from", p.FinishedFrom);
        }
        if (filters.HasFlag(Filters.FinishedTo))
        {
            statement.Set("@finished_to", p.FinishedTo);
        }
        if (filters.HasFlag(Filters.Text))
        {
            statement.Set("@text", "%" + EscapeLike(p.Text!) + "%");
        }
        if (filters.HasFlag(Filters.TextUnicode))
        {
            statement.Set("@text", p.Text);
        }
        if (filters.HasFlag(Filters.External))
        {
            statement.Set("@external", p.External!.Value);
        }
        if (filters.HasFlag(Filters.After))
        {
            statement.Set("@after_id", p.After!.Id);
            if (p.Order == JobListOrder.RecentlyFinished)
            {
                statement.Set("@after_finished_at", p.After.FinishedAt);
            }
        }
        return statement;
    }

    /// <summary>Escapes LIKE's wildcards (and the escape character itself, '\') so the text matches literally.</summary>
    internal static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);

    private static Filters FiltersOf(JobListParams p)
    {
        var filters = Filters.None;
        if (p.Queue is not null) filters |= Filters.Queue;
        if (p.Name is not null) filters |= Filters.Name;
        // An empty list is read as "any state", like null: no UI means "match nothing" by it.
        if (p.States is { Count: > 0 } states)
        {
            filters |= StateFilters(states.Distinct().ToArray());
        }
        if (p.StatusCode is not null) filters |= Filters.StatusCode;
        if (p.Source is not null) filters |= Filters.Source;
        if (p.From is not null) filters |= Filters.From;
        if (p.To is not null) filters |= Filters.To;
        if (p.FinishedFrom is not null) filters |= Filters.FinishedFrom;
        if (p.FinishedTo is not null) filters |= Filters.FinishedTo;
        if (!string.IsNullOrEmpty(p.Text)) filters |= Ascii.IsValid(p.Text) ? Filters.Text : Filters.TextUnicode;
        if (p.External is not null) filters |= Filters.External;
        if (p.After is not null) filters |= Filters.After;
        return filters;
    }

    /// <summary>How to match the requested states so that the plan reads few rows (see JobListFilters.sql).</summary>
    private static Filters StateFilters(JobState[] states) =>
        states.Length > 1 ? Filters.States : states[0] switch
        {
            JobState.Active => Filters.Active,
            JobState.Failed => Filters.Failed,
            JobState.Cancelled => Filters.Cancelled,
            _ => Filters.StateScan,
        };

    private static string Compose(JobListOrder order, Filters filters)
    {
        var (baseSql, afterKey) = order switch
        {
            JobListOrder.Newest => (SqlCatalog.JobListNewest,
                (filters & (Filters.Active | Filters.Cancelled)) != 0 ? "after_newest_rare" : "after_newest"),
            JobListOrder.RecentlyFinished => (SqlCatalog.JobListRecentlyFinished, "after_finished"),
            _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown job list order."),
        };
        var clauses = new List<string>();
        if (order == JobListOrder.RecentlyFinished && (filters & (Filters.Failed | Filters.Cancelled)) == 0)
        {
            clauses.Add(Fragments["finished"]);
        }
        void Add(Filters flag, string key)
        {
            if (filters.HasFlag(flag))
            {
                clauses.Add(Fragments[key]);
            }
        }
        var rare = (filters & (Filters.Active | Filters.Failed | Filters.Cancelled)) != 0;
        Add(Filters.Queue, rare ? "queue_rare" : "queue");
        Add(Filters.Name, "name");
        Add(Filters.Active, "state_active");
        Add(Filters.Failed, "state_failed");
        Add(Filters.Cancelled, "state_cancelled");
        Add(Filters.StateScan, "state_scan");
        Add(Filters.States, "states");
        Add(Filters.StatusCode, "status_code");
        Add(Filters.Source, "source");
        Add(Filters.From, "from");
        Add(Filters.To, "to");
        Add(Filters.FinishedFrom, "finished_from");
        Add(Filters.FinishedTo, "finished_to");
        Add(Filters.Text, "text");
        Add(Filters.TextUnicode, "text_unicode");
        Add(Filters.External, "external");
        Add(Filters.After, afterKey);
        var at = baseSql.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0 || baseSql.IndexOf(Placeholder, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"The job list query must contain {Placeholder} exactly once.");
        }
        return string.Concat(baseSql.AsSpan(0, at), string.Join('\n', clauses), baseSql.AsSpan(at + Placeholder.Length));
    }

    private static Dictionary<string, string> ParseFragments(string sql)
    {
        var fragments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in sql.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidOperationException($"JobListFilters.sql: expected \"key: fragment\", got \"{line}\".");
            }
            fragments.Add(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        return fragments;
    }
}
