using System.Collections.Concurrent;
using Jobwatch.Model;
using Npgsql;

namespace Jobwatch.Storage.Postgres.Internal;

/// <summary>
/// Builds the JobListAsync query from the base query of the chosen order plus the fragments of
/// <c>JobListFilters.sql</c> for the filters that are set.
/// </summary>
/// <remarks>
/// Why not one static query with <c>(@p IS NULL OR col = @p)</c> terms: the hot statements are
/// auto-prepared, and a prepared statement may switch to a generic plan, in which such a term can
/// never use an index; a filter on a rare name or state would then scan every job, newest first, to
/// fill a page. With only the set filters present, the planner can walk ix_jobs_name_id,
/// ix_jobs_finished_state, ix_jobs_created … instead. The SQL is still static in the sense that
/// matters: it is built only from the fixed fragments, every value is a parameter, and each
/// combination is composed once and cached.
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
        States = 1 << 2,
        StatusCode = 1 << 3,
        Source = 1 << 4,
        From = 1 << 5,
        To = 1 << 6,
        Text = 1 << 7,
        External = 1 << 8,
        After = 1 << 9,
        // Hints derived from States, see JobListFilters.sql.
        FinishedStates = 1 << 10,
        RunnableStates = 1 << 11,
        ActiveState = 1 << 12,
        FailedState = 1 << 13,
        // Text is matched byte-wise when it is ASCII, with the locale's case folding otherwise (see JobListFilters.sql).
        TextUnicode = 1 << 14,
        FinishedFrom = 1 << 15,
        FinishedTo = 1 << 16,
    }

    /// <summary>A command for <paramref name="p"/>, with every parameter bound.</summary>
    public static NpgsqlCommand Create(NpgsqlDataSource dataSource, JobListParams p)
    {
        var filters = FiltersOf(p);
        var sql = Composed.GetOrAdd((p.Order, filters), static key => Compose(key.Order, key.Filters));
        var command = dataSource.CreateCommand(sql).Set("limit", Math.Clamp(p.Limit, 1, MaxLimit));
        if (filters.HasFlag(Filters.Queue)) command.Set("queue", p.Queue);
        if (filters.HasFlag(Filters.Name)) command.Set("name", p.Name);
        if (filters.HasFlag(Filters.States)) command.Set("states", p.States!.Select(s => (short)s).ToArray());
        if (filters.HasFlag(Filters.StatusCode)) command.Set("status_code", p.StatusCode);
        if (filters.HasFlag(Filters.Source)) command.Set("source", p.Source);
        if (filters.HasFlag(Filters.From)) command.Set("from", p.From);
        if (filters.HasFlag(Filters.To)) command.Set("to", p.To);
        if (filters.HasFlag(Filters.FinishedFrom)) command.Set("finished_from", p.FinishedFrom);
        if (filters.HasFlag(Filters.FinishedTo)) command.Set("finished_to", p.FinishedTo);
        if ((filters & (Filters.Text | Filters.TextUnicode)) != 0) command.Set("text", "%" + EscapeLike(p.Text!) + "%");
        if (filters.HasFlag(Filters.External)) command.Set("external", p.External!.Value);
        if (filters.HasFlag(Filters.After))
        {
            command.Set("after_id", p.After!.Id);
            if (p.Order == JobListOrder.RecentlyFinished)
            {
                command.Set("after_finished_at", p.After.FinishedAt);
            }
        }
        return command;
    }

    /// <summary>Escapes LIKE's wildcards (and its default escape character, '\') so the text matches literally.</summary>
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
            filters |= Filters.States;
            if (states.All(s => s.IsTerminal())) filters |= Filters.FinishedStates;
            if (states.All(s => s is JobState.Failed)) filters |= Filters.FailedState;
            else if (states.All(s => s is JobState.Waiting or JobState.Delayed)) filters |= Filters.RunnableStates;
            else if (states.All(s => s is JobState.Active)) filters |= Filters.ActiveState;
        }
        if (p.StatusCode is not null) filters |= Filters.StatusCode;
        if (p.Source is not null) filters |= Filters.Source;
        if (p.From is not null) filters |= Filters.From;
        if (p.To is not null) filters |= Filters.To;
        if (p.FinishedFrom is not null) filters |= Filters.FinishedFrom;
        if (p.FinishedTo is not null) filters |= Filters.FinishedTo;
        if (!string.IsNullOrEmpty(p.Text)) filters |= System.Text.Ascii.IsValid(p.Text) ? Filters.Text : Filters.TextUnicode;
        if (p.External is not null) filters |= Filters.External;
        if (p.After is not null) filters |= Filters.After;
        return filters;
    }

    private static string Compose(JobListOrder order, Filters filters)
    {
        var (baseSql, afterKey) = order switch
        {
            JobListOrder.Newest => (SqlCatalog.JobListNewest, "after_newest"),
            JobListOrder.RecentlyFinished => (SqlCatalog.JobListRecentlyFinished, "after_finished"),
            _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown job list order."),
        };
        var clauses = new List<string>();
        void Add(Filters flag, string key)
        {
            if (filters.HasFlag(flag))
            {
                clauses.Add(Fragments[key]);
            }
        }
        Add(Filters.Queue, "queue");
        Add(Filters.Name, "name");
        Add(Filters.States, "states");
        Add(Filters.FinishedStates, "states_finished");
        Add(Filters.RunnableStates, "states_runnable");
        Add(Filters.ActiveState, "states_active");
        Add(Filters.FailedState, "states_failed");
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
