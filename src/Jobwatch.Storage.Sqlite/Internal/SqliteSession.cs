using Microsoft.Data.Sqlite;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>An open connection with its cache of prepared statements. Used by one thread at a time.</summary>
internal sealed class SqliteSession : IDisposable
{
    // SQL texts are static fields (SqlCatalog) or cached compositions (JobListQuery), so looking them
    // up by reference first skips hashing a kilobyte of SQL on every call of the hot path.
    private readonly Dictionary<string, Statement> _byReference = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Statement> _byText = new(StringComparer.Ordinal);

    public SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>The rowid of the last row this connection inserted (an INSERT's triggers do not change it).</summary>
    public long LastInsertRowId => SQLitePCL.raw.sqlite3_last_insert_rowid(Connection.Handle);

    /// <summary>The prepared statement for <paramref name="sql"/>, its previous use ended and every parameter reset to NULL.</summary>
    public Statement Statement(string sql)
    {
        if (!_byReference.TryGetValue(sql, out var statement))
        {
            if (!_byText.TryGetValue(sql, out statement))
            {
                statement = new Statement(Connection, sql);
                _byText.Add(sql, statement);
                _byReference.Add(sql, statement);
            }
        }
        return statement.Reset();
    }

    public void Dispose()
    {
        foreach (var statement in _byText.Values)
        {
            statement.Dispose();
        }
        _byText.Clear();
        _byReference.Clear();
        Connection.Dispose();
    }
}
