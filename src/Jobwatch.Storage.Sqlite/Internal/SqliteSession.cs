using Microsoft.Data.Sqlite;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>An open connection with its cache of prepared statements. Used by one thread at a time.</summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, Statement> _statements = new(StringComparer.Ordinal);

    public SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>The prepared statement for <paramref name="sql"/>, with every parameter reset to NULL.</summary>
    public Statement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new Statement(Connection, sql);
            _statements.Add(sql, statement);
        }
        return statement.Reset();
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }
        _statements.Clear();
        Connection.Dispose();
    }
}
