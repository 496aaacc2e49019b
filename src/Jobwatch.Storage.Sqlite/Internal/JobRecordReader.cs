using System.Text;
using Jobwatch.Model;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// Maps <c>jobs</c> rows (from <c>SELECT *</c> or <c>RETURNING *</c>) to <see cref="JobRecord"/>.
/// Column ordinals are looked up once per prepared statement, so the row loop does no name lookups,
/// and the texts most rows share (queue, name, type, worker…) are decoded once and reused.
/// </summary>
internal sealed class JobRecordReader
{
    private readonly int _id, _queue, _name, _type, _state, _statusCode, _statusLabel, _createdBy, _updatedBy,
        _payload, _metadata, _priority, _attempt, _maxAttempts, _stalledCount, _runAt, _createdAt, _startedAt,
        _finishedAt, _leaseUntil, _workerId, _isExternal, _totalItems, _itemsSucceeded, _itemsFailed,
        _reportedPercent, _customProgress, _progressAt, _lastError, _lastErrorStack, _result, _timeoutMs, _traceParent;

    private readonly RepeatedText _queueText = new(), _nameText = new(), _typeText = new(), _createdByText = new(),
        _updatedByText = new(), _workerText = new(), _labelText = new();

    private readonly int _columnCount;

    private JobRecordReader(StatementReader reader)
    {
        _columnCount = reader.Statement.ColumnCount;
        _id = reader.GetOrdinal("id");
        _queue = reader.GetOrdinal("queue");
        _name = reader.GetOrdinal("name");
        _type = reader.GetOrdinal("type");
        _state = reader.GetOrdinal("state");
        _statusCode = reader.GetOrdinal("status_code");
        _statusLabel = reader.GetOrdinal("status_label");
        _createdBy = reader.GetOrdinal("created_by");
        _updatedBy = reader.GetOrdinal("updated_by");
        _payload = reader.GetOrdinal("payload");
        _metadata = reader.GetOrdinal("metadata");
        _priority = reader.GetOrdinal("priority");
        _attempt = reader.GetOrdinal("attempt");
        _maxAttempts = reader.GetOrdinal("max_attempts");
        _stalledCount = reader.GetOrdinal("stalled_count");
        _runAt = reader.GetOrdinal("run_at");
        _createdAt = reader.GetOrdinal("created_at");
        _startedAt = reader.GetOrdinal("started_at");
        _finishedAt = reader.GetOrdinal("finished_at");
        _leaseUntil = reader.GetOrdinal("lease_until");
        _workerId = reader.GetOrdinal("worker_id");
        _isExternal = reader.GetOrdinal("is_external");
        _totalItems = reader.GetOrdinal("total_items");
        _itemsSucceeded = reader.GetOrdinal("items_succeeded");
        _itemsFailed = reader.GetOrdinal("items_failed");
        _reportedPercent = reader.GetOrdinal("reported_percent");
        _customProgress = reader.GetOrdinal("custom_progress");
        _progressAt = reader.GetOrdinal("progress_at");
        _lastError = reader.GetOrdinal("last_error");
        _lastErrorStack = reader.GetOrdinal("last_error_stack");
        _result = reader.GetOrdinal("result");
        _timeoutMs = reader.GetOrdinal("timeout_ms");
        _traceParent = reader.GetOrdinal("trace_parent");
    }

    /// <summary>Reads every row of the statement's result; <paramref name="expected"/> sizes the list (a fetch knows its LIMIT).</summary>
    public static List<JobRecord> ReadAll(Statement statement, int expected = 0)
    {
        using var reader = statement.Query();
        var jobs = new List<JobRecord>(Math.Clamp(expected, 0, 256));
        if (!reader.Read())
        {
            return jobs;
        }
        var map = For(reader);
        do
        {
            jobs.Add(map.Read(reader));
        }
        while (reader.Read());
        return jobs;
    }

    /// <summary>Reads the statement's first row, or null when it returned none.</summary>
    public static JobRecord? ReadSingle(Statement statement)
    {
        using var reader = statement.Query();
        if (!reader.Read())
        {
            return null;
        }
        var job = For(reader).Read(reader);
        // Drain: a RETURNING statement finishes its work only when stepped to the end.
        while (reader.Read())
        {
        }
        return job;
    }

    /// <summary>The statement's cached mapper; rebuilt should a schema change have re-prepared it with other columns.</summary>
    private static JobRecordReader For(StatementReader reader)
    {
        var statement = reader.Statement;
        if (statement.ColumnMap is JobRecordReader map && map._columnCount == statement.ColumnCount)
        {
            return map;
        }
        statement.ForgetColumnNames();
        map = new JobRecordReader(reader);
        statement.ColumnMap = map;
        return map;
    }

    private JobRecord Read(StatementReader r) => new()
    {
        Id = r.GetInt64(_id),
        Queue = _queueText.Get(r, _queue),
        Name = _nameText.Get(r, _name),
        Type = _typeText.Get(r, _type),
        State = (JobState)r.GetInt32(_state),
        StatusCode = NullableInt(r, _statusCode),
        StatusLabel = _labelText.GetNullable(r, _statusLabel),
        CreatedBy = _createdByText.GetNullable(r, _createdBy),
        UpdatedBy = _updatedByText.GetNullable(r, _updatedBy),
        Payload = r.GetString(_payload),
        Metadata = NullableString(r, _metadata),
        Priority = r.GetInt32(_priority),
        Attempt = r.GetInt32(_attempt),
        MaxAttempts = r.GetInt32(_maxAttempts),
        StalledCount = r.GetInt32(_stalledCount),
        RunAt = UnixMicros.ToTime(r.GetInt64(_runAt)),
        CreatedAt = UnixMicros.ToTime(r.GetInt64(_createdAt)),
        StartedAt = NullableTime(r, _startedAt),
        FinishedAt = NullableTime(r, _finishedAt),
        LeaseUntil = NullableTime(r, _leaseUntil),
        WorkerId = _workerText.GetNullable(r, _workerId),
        IsExternal = r.GetInt64(_isExternal) != 0,
        TotalItems = NullableLong(r, _totalItems),
        ItemsSucceeded = r.GetInt64(_itemsSucceeded),
        ItemsFailed = r.GetInt64(_itemsFailed),
        ReportedPercent = r.IsDBNull(_reportedPercent) ? null : r.GetDouble(_reportedPercent),
        CustomProgress = NullableString(r, _customProgress),
        ProgressAt = NullableTime(r, _progressAt),
        LastError = NullableString(r, _lastError),
        LastErrorStack = NullableString(r, _lastErrorStack),
        Result = NullableString(r, _result),
        TimeoutMs = NullableLong(r, _timeoutMs),
        TraceParent = NullableString(r, _traceParent),
    };

    private static string? NullableString(StatementReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static int? NullableInt(StatementReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
    private static long? NullableLong(StatementReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
    private static DateTimeOffset? NullableTime(StatementReader r, int i) => r.IsDBNull(i) ? null : UnixMicros.ToTime(r.GetInt64(i));

    /// <summary>The last text read from one column, reused while rows repeat it (a fetch returns one queue, name and worker).</summary>
    private sealed class RepeatedText
    {
        private byte[] _bytes = new byte[64];
        private int _length;
        private string? _text;

        public string? GetNullable(StatementReader r, int i) => r.IsDBNull(i) ? null : Get(r, i);

        public string Get(StatementReader r, int i)
        {
            if (r.IsDBNull(i))
            {
                return r.GetString(i); // throws the same error as any non-null read of a NULL
            }
            var bytes = r.GetBytes(i);
            if (_text is null || !bytes.SequenceEqual(_bytes.AsSpan(0, _length)))
            {
                _text = Encoding.UTF8.GetString(bytes);
                if (bytes.Length > _bytes.Length)
                {
                    _bytes = new byte[bytes.Length];
                }
                bytes.CopyTo(_bytes);
                _length = bytes.Length;
            }
            return _text;
        }
    }
}
