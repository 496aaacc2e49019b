using System.Collections.Concurrent;
using Jobwatch.Audit;
using Jobwatch.Storage.Postgres.Internal;
using Npgsql;

namespace Jobwatch.Storage.Postgres;

public sealed partial class PostgresJobStore
{
    private const int AuditMaxLimit = 1000;

    public async Task<long> AuditAppendAsync(AuditAppendParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.AuditAppend)
            .Set("at", p.At)
            .Set("actor", p.Actor)
            .Set("action", p.Action)
            .Set("target", p.Target)
            .Set("details", p.Details)
            .Set("outcome", p.Outcome);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditListAsync(AuditListParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = AuditListQuery.Create(_dataSource, p);
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                Id: r.GetInt64(0),
                At: JobRecordReader.Time(r, 1),
                Actor: r.GetString(2),
                Action: r.GetString(3),
                Target: r.IsDBNull(4) ? null : r.GetString(4),
                Details: r.IsDBNull(5) ? null : r.GetString(5),
                Outcome: r.GetString(6)));
        }
        return entries;
    }

    /// <summary>AuditListNewest.sql with the fragments of AuditListFilters.sql for the filters that are set, composed once per combination.</summary>
    private static class AuditListQuery
    {
        private const string Placeholder = "/*filters*/";
        private static readonly IReadOnlyDictionary<string, string> Fragments = ParseFragments(SqlCatalog.AuditListFilters);
        private static readonly ConcurrentDictionary<string, string> Composed = new(StringComparer.Ordinal);

        public static NpgsqlCommand Create(NpgsqlDataSource dataSource, AuditListParams p)
        {
            var keys = new List<string>(6);
            if (p.Actor is not null) keys.Add("actor");
            if (p.Action is not null) keys.Add("action");
            if (p.Target is not null) keys.Add("target");
            if (p.Since is not null) keys.Add("since");
            if (p.Until is not null) keys.Add("until");
            if (p.BeforeId is not null) keys.Add("before");
            var sql = Composed.GetOrAdd(string.Join(',', keys), static (_, keys) => Compose(keys), keys);

            var command = dataSource.CreateCommand(sql).Set("limit", Math.Clamp(p.Limit, 1, AuditMaxLimit));
            if (p.Actor is not null) command.Set("actor", p.Actor);
            if (p.Action is not null) command.Set("action", p.Action);
            if (p.Target is not null) command.Set("target", p.Target);
            if (p.Since is not null) command.Set("since", p.Since);
            if (p.Until is not null) command.Set("until", p.Until);
            if (p.BeforeId is not null) command.Set("before_id", p.BeforeId);
            return command;
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
