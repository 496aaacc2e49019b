using Jobwatch.Model;
using Npgsql;

namespace Jobwatch.Storage.Postgres.Internal;

/// <summary>
/// Maps <c>jobs</c> rows (from <c>SELECT *</c> or <c>RETURNING *</c>, possibly with extra columns) to
/// <see cref="JobRecord"/>. Column ordinals are looked up once per result set, so the row loop does
/// no name lookups.
/// </summary>
internal sealed class JobRecordReader
{
    private readonly int _id, _queue, _name, _type, _state, _statusCode, _statusLabel, _createdBy, _updatedBy,
        _payload, _metadata, _priority, _attempt, _maxAttempts, _stalledCount, _runAt, _createdAt, _startedAt,
        _finishedAt, _leaseUntil, _workerId, _isExternal, _totalItems, _itemsSucceeded, _itemsFailed,
        _reportedPercent, _customProgress, _progressAt, _lastError, _lastErrorStack, _result, _timeoutMs, _traceParent;

    public JobRecordReader(NpgsqlDataReader reader)
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

    /// <summary>Executes the command and reads every row.</summary>
    public static async Task<List<JobRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var jobs = new List<JobRecord>();
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return jobs;
        }
        var map = new JobRecordReader(reader);
        do
        {
            jobs.Add(map.Read(reader));
        }
        while (await reader.ReadAsync(ct).ConfigureAwait(false));
        return jobs;
    }

    /// <summary>Executes the command and reads its first row, or null when it returned none.</summary>
    public static async Task<JobRecord?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var jobs = await ReadAllAsync(command, ct).ConfigureAwait(false);
        return jobs.Count > 0 ? jobs[0] : null;
    }

    public JobRecord Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(_id),
        Queue = r.GetString(_queue),
        Name = r.GetString(_name),
        Type = r.GetString(_type),
        State = (JobState)r.GetInt16(_state),
        StatusCode = r.IsDBNull(_statusCode) ? null : r.GetInt32(_statusCode),
        StatusLabel = NullableString(r, _statusLabel),
        CreatedBy = NullableString(r, _createdBy),
        UpdatedBy = NullableString(r, _updatedBy),
        Payload = r.GetString(_payload),
        Metadata = NullableString(r, _metadata),
        Priority = r.GetInt32(_priority),
        Attempt = r.GetInt32(_attempt),
        MaxAttempts = r.GetInt32(_maxAttempts),
        StalledCount = r.GetInt32(_stalledCount),
        RunAt = Time(r, _runAt),
        CreatedAt = Time(r, _createdAt),
        StartedAt = NullableTime(r, _startedAt),
        FinishedAt = NullableTime(r, _finishedAt),
        LeaseUntil = NullableTime(r, _leaseUntil),
        WorkerId = NullableString(r, _workerId),
        IsExternal = r.GetBoolean(_isExternal),
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

    public static DateTimeOffset Time(NpgsqlDataReader r, int i) => r.GetFieldValue<DateTimeOffset>(i);
    public static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static long? NullableLong(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
