using Microsoft.Data.Sqlite;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// The one write connection of this process. Writers queue on a semaphore instead of contending for
/// SQLite's lock (which would spin in busy-wait sleeps), and each unit of work is one
/// <c>BEGIN IMMEDIATE</c> transaction, so a second process waits its turn instead of deadlocking.
/// Keeping a single connection also keeps its prepared statements warm across calls.
/// </summary>
internal sealed class SqliteWriter(SqliteConnectionFactory factory) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteSession? _session;
    private bool _disposed;

    /// <summary>Runs <paramref name="work"/> in one immediate transaction: committed if it returns, rolled back if it throws.</summary>
    public async Task<TResult> RunAsync<TState, TResult>(TState state, Func<SqliteSession, TState, TResult> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var session = _session ??= new SqliteSession(factory.OpenWriter());
            session.Statement(SqlCatalog.TransactionBeginImmediate).Execute();
            TResult result;
            try
            {
                result = work(session, state);
                session.Statement(SqlCatalog.TransactionCommit).Execute();
            }
            catch
            {
                Rollback(session);
                throw;
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _session?.Dispose();
            _session = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Rollback(SqliteSession session)
    {
        try
        {
            // SQLite may already have rolled back by itself (e.g. on SQLITE_FULL); then there is no transaction.
            if (SQLitePCL.raw.sqlite3_get_autocommit(session.Connection.Handle) == 0)
            {
                session.Statement(SqlCatalog.TransactionRollback).Execute();
            }
        }
        catch (SqliteException)
        {
            // A connection that cannot even roll back is not trusted again: the next call opens a new one.
            session.Dispose();
            _session = null;
        }
    }
}
