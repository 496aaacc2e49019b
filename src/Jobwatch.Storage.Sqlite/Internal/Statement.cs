using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// One SQL statement prepared on one connection and kept for the connection's lifetime. It talks to
/// SQLite directly (SQLitePCL.raw) rather than through SqliteCommand: values are bound by index the
/// moment they are set, text is encoded into a reused buffer, and a step costs one native call. Through
/// SqliteCommand every execution looked every parameter up by name, re-encoded it and allocated a
/// reader — more CPU than the insert or update itself on the per-job hot path.
/// Binding a name the SQL does not use is a bug and throws.
/// </summary>
internal sealed class Statement : IDisposable
{
    private const int PreparePersistent = 0x01;
    // SqliteCommand's busy policy, kept: after SQLite's own busy timeout, retry for up to 30 s.
    private const long BusyRetryLimitMs = 30_000;
    private const int BusyRetrySleepMs = 150;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);
    private readonly bool _readOnly;
    private byte[] _utf8 = new byte[256];
    private string[]? _columnNames;
    private State _state;

    private enum State { Ready, Rows, Done }

    public Statement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Sql = sql;
        var rc = raw.sqlite3_prepare_v3(_db, sql, PreparePersistent, out _stmt, out string tail);
        if (rc != raw.SQLITE_OK)
        {
            _stmt?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        if (_stmt is null || _stmt.IsInvalid)
        {
            throw new InvalidOperationException($"The SQL holds no statement:{Environment.NewLine}{sql}");
        }
        if (!IsBlank(tail))
        {
            _stmt.Dispose();
            throw new InvalidOperationException($"A prepared statement holds one SQL statement; this text has more:{Environment.NewLine}{sql}");
        }
        var count = raw.sqlite3_bind_parameter_count(_stmt);
        for (var i = 1; i <= count; i++)
        {
            var name = raw.sqlite3_bind_parameter_name(_stmt, i).utf8_to_string();
            if (name is not null)
            {
                _parameters.TryAdd(name, i);
            }
        }
        _readOnly = raw.sqlite3_stmt_readonly(_stmt) != 0;
    }

    public string Sql { get; }

    /// <summary>Per-statement cache for a result mapper (column ordinals never change for a prepared statement).</summary>
    public object? ColumnMap { get; set; }

    /// <summary>Ends any previous use and sets every parameter to NULL, so no value of a previous use can leak into this one.</summary>
    public Statement Reset()
    {
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
        _state = State.Ready;
        return this;
    }

    public bool Uses(string name) => _parameters.ContainsKey(name);

    /// <summary>The 1-based index of <paramref name="name"/>, for hot loops that bind by position.</summary>
    public int IndexOf(string name) => _parameters.TryGetValue(name, out var index) ? index
        : throw new InvalidOperationException($"The SQL statement has no parameter {name}:{Environment.NewLine}{Sql}");

    public Statement Set(string name, string? value) => Bind(IndexOf(name), value);
    public Statement Set(string name, int value) => Bind(IndexOf(name), (long)value);
    public Statement Set(string name, int? value) => Bind(IndexOf(name), value);
    public Statement Set(string name, long value) => Bind(IndexOf(name), value);
    public Statement Set(string name, long? value) => Bind(IndexOf(name), value);
    public Statement Set(string name, double? value) => Bind(IndexOf(name), value);
    public Statement Set(string name, bool value) => Bind(IndexOf(name), value ? 1L : 0L);
    public Statement Set(string name, DateTimeOffset value) => Bind(IndexOf(name), UnixMicros.From(value));
    public Statement Set(string name, DateTimeOffset? value) => Bind(IndexOf(name), UnixMicros.From(value));

    public Statement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_stmt, index, value));
        return this;
    }

    public Statement Bind(int index, long? value) => value is { } v ? Bind(index, v) : BindNull(index);
    public Statement Bind(int index, int? value) => value is { } v ? Bind(index, (long)v) : BindNull(index);
    public Statement Bind(int index, DateTimeOffset value) => Bind(index, UnixMicros.From(value));
    public Statement Bind(int index, DateTimeOffset? value) => Bind(index, UnixMicros.From(value));

    public Statement Bind(int index, double? value)
    {
        if (value is not { } v)
        {
            return BindNull(index);
        }
        Check(raw.sqlite3_bind_double(_stmt, index, v));
        return this;
    }

    public Statement Bind(int index, string? value)
    {
        if (value is null)
        {
            return BindNull(index);
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }
        var length = Encoding.UTF8.GetBytes(value, _utf8);
        // SQLitePCL binds a span as SQLITE_TRANSIENT: SQLite copies it, so the buffer is free again at once.
        Check(raw.sqlite3_bind_text(_stmt, index, new ReadOnlySpan<byte>(_utf8, 0, length)));
        return this;
    }

    public Statement BindNull(int index)
    {
        Check(raw.sqlite3_bind_null(_stmt, index));
        return this;
    }

    /// <summary>Runs the statement to the end; returns the rows it changed (-1 for a read-only statement), as ExecuteNonQuery did.</summary>
    public int Execute()
    {
        while (Step())
        {
        }
        var changes = _readOnly ? -1 : raw.sqlite3_changes(_db);
        Reset();
        return changes;
    }

    /// <summary>The first column of the first row (null when there is none), after running the statement to the end.</summary>
    public object? Scalar()
    {
        object? value = null;
        if (Step())
        {
            value = ColumnValue(0);
            while (Step())
            {
            }
        }
        Reset();
        return value;
    }

    public StatementReader Query() => new(this);

    public void Dispose() => _stmt.Dispose();

    /// <summary>Steps once; true while there is a current row. Never steps past the end (that would run the statement again).</summary>
    internal bool Step()
    {
        if (_state == State.Done)
        {
            return false;
        }
        var rc = _state == State.Ready ? FirstStep() : raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW)
        {
            _state = State.Rows;
            return true;
        }
        _state = State.Done;
        if (rc != raw.SQLITE_DONE)
        {
            Fail(rc);
        }
        return false;
    }

    private int FirstStep()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (!IsBusy(rc))
        {
            return rc;
        }
        var waited = Stopwatch.StartNew();
        while (IsBusy(rc) && waited.ElapsedMilliseconds < BusyRetryLimitMs)
        {
            raw.sqlite3_reset(_stmt);
            Thread.Sleep(BusyRetrySleepMs);
            rc = raw.sqlite3_step(_stmt);
        }
        return rc;
    }

    private static bool IsBusy(int rc) => (rc & 0xFF) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;

    private void Fail(int rc)
    {
        try
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        finally
        {
            raw.sqlite3_reset(_stmt);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    internal int ColumnCount => raw.sqlite3_column_count(_stmt);

    internal void ForgetColumnNames() => _columnNames = null;

    internal int Ordinal(string column)
    {
        _columnNames ??= Enumerable.Range(0, ColumnCount).Select(i => raw.sqlite3_column_name(_stmt, i).utf8_to_string()).ToArray();
        var index = Array.FindIndex(_columnNames, n => string.Equals(n, column, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw new IndexOutOfRangeException($"The result has no column {column}:{Environment.NewLine}{Sql}");
    }

    internal bool IsNull(int column) => raw.sqlite3_column_type(_stmt, column) == raw.SQLITE_NULL;
    internal long Int64(int column) => raw.sqlite3_column_int64(_stmt, column);
    internal double Double(int column) => raw.sqlite3_column_double(_stmt, column);

    internal string Text(int column)
    {
        if (IsNull(column))
        {
            throw new InvalidCastException($"Column {column} is NULL; check IsDBNull first.");
        }
        return Encoding.UTF8.GetString(TextBytes(column));
    }

    /// <summary>The column's UTF-8 bytes (column_blob returns a text value's bytes as stored), valid until the next step.</summary>
    internal ReadOnlySpan<byte> TextBytes(int column) => raw.sqlite3_column_blob(_stmt, column);

    private object? ColumnValue(int column) => raw.sqlite3_column_type(_stmt, column) switch
    {
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_stmt, column),
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(_stmt, column),
        raw.SQLITE_TEXT => Text(column),
        raw.SQLITE_BLOB => raw.sqlite3_column_blob(_stmt, column).ToArray(),
        _ => null,
    };

    private static bool IsBlank(string? tail)
    {
        if (string.IsNullOrEmpty(tail))
        {
            return true;
        }
        foreach (var line in tail.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith("--", StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
