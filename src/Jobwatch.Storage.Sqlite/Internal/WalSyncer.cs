namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// Flushes the database's WAL file to disk every <see cref="Interval"/> on a background thread, so
/// the fsync of the WAL that a checkpoint does inside the writer's commit finds almost nothing left to
/// write. Measured here: fsyncing 40 MB of unsynced WAL (one checkpoint interval, see
/// ConnectionWriterPragmas.sql) took ~40 ms, stalling every write behind it; an already synced file
/// takes well under a millisecond. Extra fsyncs only make the WAL durable sooner; SQLite takes no
/// lock on the WAL file, so opening and closing it here cannot release one of SQLite's locks.
/// </summary>
internal sealed class WalSyncer : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly string _walPath;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private int _disposed;

    private WalSyncer(string walPath)
    {
        _walPath = walPath;
        _thread = new Thread(Run) { IsBackground = true, Name = "Jobwatch SQLite WAL sync" };
        _thread.Start();
    }

    /// <summary>A syncer for the database file at <paramref name="databasePath"/>, or null for an in-memory database.</summary>
    public static WalSyncer? For(string? databasePath) => databasePath is null ? null : new WalSyncer(databasePath + "-wal");

    private void Run()
    {
        while (!_stop.Wait(Interval))
        {
            try
            {
                // Opened afresh each time: SQLite may delete or replace the file (last connection closed).
                using var wal = new FileStream(_walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                wal.Flush(flushToDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No WAL yet, or it just went away: nothing to sync; SQLite still syncs at checkpoints.
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
