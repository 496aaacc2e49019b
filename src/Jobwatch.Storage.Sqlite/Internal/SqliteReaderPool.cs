using System.Collections.Concurrent;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// Read-only connections for monitoring queries. In WAL mode readers run alongside the writer and
/// each other, so they take no lock of ours; connections are kept open with their prepared statements.
/// </summary>
internal sealed class SqliteReaderPool(SqliteConnectionFactory factory) : IDisposable
{
    private static readonly int MaxIdle = Math.Max(4, Environment.ProcessorCount * 2);
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private volatile bool _disposed;

    public TResult Run<TState, TResult>(TState state, Func<SqliteSession, TState, TResult> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _idle.TryTake(out var idle) ? idle : new SqliteSession(factory.OpenReader());
        var healthy = false;
        try
        {
            var result = work(session, state);
            healthy = true;
            return result;
        }
        finally
        {
            if (healthy && !_disposed && _idle.Count < MaxIdle)
            {
                _idle.Add(session);
            }
            else
            {
                // After a failure the connection may sit inside an open read transaction; do not reuse it.
                session.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }
}
