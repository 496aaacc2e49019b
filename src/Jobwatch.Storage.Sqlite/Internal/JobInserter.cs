using System.Text.RegularExpressions;
using Jobwatch.Model;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// Inserts a JobInsertMany batch: full chunks of <see cref="RowsPerStatement"/> rows through one
/// multi-row INSERT, the rest one row at a time, all on prepared statements. A statement per row
/// paid, per job, SQLite's per-statement work (AUTOINCREMENT reads and rewrites sqlite_sequence once
/// per statement) and a native call per step; a 32-row statement pays it once per 32 jobs.
/// </summary>
internal static partial class JobInserter
{
    public const int RowsPerStatement = 32;

    /// <summary>The parameters of JobInsert.sql, in the order <see cref="Bind"/> sets them.</summary>
    private static readonly string[] Parameters =
        ["@queue", "@name", "@type", "@state", "@created_by", "@payload", "@metadata", "@priority", "@max_attempts",
         "@run_at", "@created_at", "@timeout_ms", "@trace_parent"];

    private static readonly string[][] RowParameters =
        Enumerable.Range(0, RowsPerStatement).Select(r => Parameters.Select(n => $"{n}_{r}").ToArray()).ToArray();

    /// <summary>JobInsert.sql with its VALUES tuple repeated, each copy's parameters suffixed with its row number.</summary>
    private static readonly string MultiRowSql = Compose(SqlCatalog.JobInsert, RowsPerStatement);

    /// <summary>Inserts every job; returns their ids, in order.</summary>
    public static long[] Insert(SqliteSession session, JobInsertManyParams p)
    {
        var ids = new long[p.Jobs.Count];
        var i = 0;
        if (ids.Length >= RowsPerStatement)
        {
            var many = session.Statement(MultiRowSql);
            for (; i + RowsPerStatement <= ids.Length; i += RowsPerStatement)
            {
                for (var r = 0; r < RowsPerStatement; r++)
                {
                    Bind(many, RowParameters[r], p.Jobs[i + r], p.Now);
                }
                many.Execute();
                var last = session.LastInsertRowId;
                for (var r = 0; r < RowsPerStatement; r++)
                {
                    ids[i + r] = last - RowsPerStatement + 1 + r;
                }
            }
        }
        if (i < ids.Length)
        {
            var one = session.Statement(SqlCatalog.JobInsert);
            for (; i < ids.Length; i++)
            {
                Bind(one, Parameters, p.Jobs[i], p.Now);
                one.Execute();
                ids[i] = session.LastInsertRowId;
            }
        }
        return ids;
    }

    private static void Bind(Statement insert, string[] names, JobInsertParams job, DateTimeOffset now)
    {
        var state = job.RunAt <= now ? JobState.Waiting : JobState.Delayed;
        insert
            .Set(names[0], job.Queue)
            .Set(names[1], job.Name)
            .Set(names[2], job.Type)
            .Set(names[3], (int)state)
            .Set(names[4], job.CreatedBy)
            .Set(names[5], job.Payload)
            .Set(names[6], job.Metadata)
            .Set(names[7], job.Priority)
            .Set(names[8], job.MaxAttempts)
            .Set(names[9], job.RunAt)
            .Set(names[10], now)
            .Set(names[11], job.TimeoutMs)
            .Set(names[12], job.TraceParent);
    }

    private static string Compose(string sql, int rows)
    {
        var code = LineComment().Replace(sql, string.Empty).Trim().TrimEnd(';').TrimEnd();
        var values = code.IndexOf("VALUES", StringComparison.Ordinal);
        if (values < 0 || code.IndexOf("VALUES", values + 1, StringComparison.Ordinal) >= 0 || !code.EndsWith(')'))
        {
            throw new InvalidOperationException("JobInsert.sql must be one INSERT … VALUES (…) ending with its tuple.");
        }
        var tuple = code[(values + "VALUES".Length)..].Trim();
        var copies = Enumerable.Range(0, rows).Select(r => ParameterName().Replace(tuple, m => $"{m.Value}_{r}"));
        return string.Concat(code.AsSpan(0, values), "VALUES\n", string.Join(",\n", copies), ";");
    }

    [GeneratedRegex(@"@[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();
}
