using System.Collections.Concurrent;
using Jobwatch.Audit;
using Jobwatch.Storage.Sqlite.Internal;

namespace Jobwatch.Storage.Sqlite;

public sealed partial class SqliteJobStore
{
    private const int AuditMaxLimit = 1000;

    public Task<long> AuditAppendAsync(AuditAppendParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return _writer.RunAsync(p, static (session, p) => (long)session.Statement(SqlCatalog.AuditAppend)
            .Set("@at", p.At)
            .Set("@actor", p.Actor)
            .Set("@action", p.Action)
            .Set("@target", p.Target)
            .Set("@details", p.Details)
            .Set("@outcome", p.Outcome)
            .Scalar()!, ct);
    }

    public Task<IReadOnlyList<AuditEntry>> AuditListAsync(AuditListParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        return ReadAsync(p, static (session, p) =>
        {
            var statement = AuditListQuery.Bind(session, p);
            var entries = new List<AuditEntry>();
            using var r = statement.Query();
            while (r.Read())
            {
                entries.Add(new AuditEntry(
                    Id: r.GetInt64(0),
                    At: UnixMicros.ToTime(r.GetInt64(1)),
                    Actor: r.GetString(2),
                    Action: r.GetString(3),
                    Target: r.IsDBNull(4) ? null : r.GetString(4),
                    Details: r.IsDBNull(5) ? null : r.GetString(5),
                    Outcome: r.GetString(6)));
            }
            return (IReadOnlyList<AuditEntry>)entries;
        }, ct);
    }

    /// <summary>AuditListNewest.sql with the fragments of AuditListFilters.sql for the filters that are set, composed once per combination.</summary>
    private static class AuditListQuery
    {
        private const string Placeholder = "/*filters*/";
        private static readonly IReadOnlyDictionary<string, string> Fragments = ParseFragments(SqlCatalog.AuditListFilters);
        private static readonly ConcurrentDictionary<string, string> Composed = new(StringComparer.Ordinal);

        public static Statement Bind(SqliteSession session, AuditListParams p)
        {
            var keys = new List<string>(6);
            if (p.Actor is not null) keys.Add("actor");
            if (p.Action is not null) keys.Add("action");
            if (p.Target is not null) keys.Add("target");
            if (p.Since is not null) keys.Add("since");
            if (p.Until is not null) keys.Add("until");
            if (p.BeforeId is not null) keys.Add("before");
            var sql = Composed.GetOrAdd(string.Join(',', keys), static (_, keys) => Compose(keys), keys);

            var statement = session.Statement(sql).Set("@limit", Math.Clamp(p.Limit, 1, AuditMaxLimit));
            if (p.Actor is not null) statement.Set("@actor", p.Actor);
            if (p.Action is not null) statement.Set("@action", p.Action);
            if (p.Target is not null) statement.Set("@target", p.Target);
            if (p.Since is not null) statement.Set("@since", p.Since);
            if (p.Until is not null) statement.Set("@until", p.Until);
            if (p.BeforeId is not null) statement.Set("@before_id", p.BeforeId);
            return statement;
        }

        private static string Compose(List<string> keys)
        {
            var baseSql = SqlCatalog.AuditListNewest;
            var at = baseSql.IndexOf(Placeholder, StringComparison.Ordinal);
            if (at < 0 || baseSql.IndexOf(Placeholder, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException($"AuditListNewest.sql must contain {Placeholder} exactly once.");
            }
            var clauses = string.Join('\n', keys.Select(k => Fragments[k]));
            return string.Concat(baseSql.AsSpan(0, at), clauses, baseSql.AsSpan(at + Placeholder.Length));
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
                    throw new InvalidOperationException($"AuditListFilters.sql: expected \"key: fragment\", got \"{line}\".");
                }
                fragments.Add(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
            return fragments;
        }
    }
}
