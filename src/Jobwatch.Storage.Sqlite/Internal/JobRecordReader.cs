using Jobwatch.Model;
using Microsoft.Data.Sqlite;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// Maps <c>jobs</c> rows (from <c>SELECT *</c> or <c>RETURNING *</c>) to <see cref="JobRecord"/>.
/// Column ordinals are looked up once per result set, so the row loop does no name lookups.
/// </summary>
internal sealed class JobRecordReader
{
    private readonly int _id, _queue, _name, _type, _state, _statusCode, _statusLabel, _createdBy, _updatedBy,
        _payload, _metadata, _priority, _attempt, _maxAttempts, _stalledCount, _runAt, _createdAt, _startedAt,
        _finishedAt, _leaseUntil, _workerId, _isExternal, _totalItems, _itemsSucceeded, _itemsFailed,
        _reportedPercent, _customProgress, _progressAt, _lastError, _lastErrorStack, _result, _timeoutMs, _traceParent;

    private JobRecordReader(SqliteDataReader reader)
    {
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

    /// <summary>Reads every row of the statement's result.</summary>
    public static List<JobRecord> ReadAll(Statement statement)
    {
        using var reader = statement.Query();
        var jobs = new List<JobRecord>();
        if (!reader.Read())
        {
            return jobs;
        }
        var map = new JobRecordReader(reader);
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
        var job = new JobRecordReader(reader).Read(reader);
        // Drain: a RETURNING statement finishes its work only when stepped to the end.
        while (reader.Read())
        {
        }
        return job;
    }

    private JobRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(_id),
        Queue = r.GetString(_queue),
        Name = r.GetString(_name),
        Type = r.GetString(_type),
        State = (JobState)r.GetInt32(_state),
        StatusCode = NullableInt(r, _statusCode),
        StatusLabel = NullableString(r, _statusLabel),
        CreatedBy = NullableString(r, _createdBy),
        UpdatedBy = NullableString(r, _updatedBy),
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
        WorkerId = NullableString(r, _workerId),
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

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static int? NullableInt(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
    private static long? NullableLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
    private static DateTimeOffset? NullableTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : UnixMicros.ToTime(r.GetInt64(i));
}
