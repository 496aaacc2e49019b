using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Monitoring;

/// <summary>
/// One job execution as seed 001 shows it (<c>GET /api/monitoring/jobs/active</c>, <c>/history</c>, <c>/jobs/{id}</c>),
/// in its snake_case. <c>status</c> is running, completed, failed or cancelled for started jobs (waiting or delayed for
/// one not yet started, which only <c>/jobs/{id}</c> can return). Seconds are whole numbers as in the seed, so shell
/// scripts can compare them with <c>-gt</c>. Figures that are not known are null (e.g. <c>total_items</c> for a job that
/// does not count items). The fields after <c>metadata</c> are Jobwatch's additions (seed 000's status code and
/// sources, the queue, when it finished and why it failed); scripts reading the seed's fields are unaffected.
/// </summary>
public sealed record MonitoringJob(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("job_name")] string JobName,
    [property: JsonPropertyName("job_type")] string JobType,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("total_items")] long? TotalItems,
    [property: JsonPropertyName("items_processed")] long ItemsProcessed,
    [property: JsonPropertyName("items_succeeded")] long ItemsSucceeded,
    [property: JsonPropertyName("items_failed")] long ItemsFailed,
    /// <summary>0–100, one decimal.</summary>
    [property: JsonPropertyName("progress_percent")] double? ProgressPercent,
    [property: JsonPropertyName("started_at"), JsonConverter(typeof(UtcSecondsJsonConverter))] DateTimeOffset? StartedAt,
    /// <summary>Running time so far, or the whole run time once finished.</summary>
    [property: JsonPropertyName("elapsed_seconds")] long? ElapsedSeconds,
    /// <summary>At the current rate; null once finished or while no rate is known.</summary>
    [property: JsonPropertyName("estimated_remaining_seconds")] long? EstimatedRemainingSeconds,
    /// <summary>Two decimals.</summary>
    [property: JsonPropertyName("items_per_second")] double? ItemsPerSecond,
    /// <summary>The job's metadata object; <c>{}</c> when it has none.</summary>
    [property: JsonPropertyName("metadata")] JsonElement Metadata,
    [property: JsonPropertyName("queue")] string Queue,
    [property: JsonPropertyName("status_code")] int? StatusCode,
    [property: JsonPropertyName("status_label")] string? StatusLabel,
    [property: JsonPropertyName("created_by")] string? CreatedBy,
    [property: JsonPropertyName("updated_by")] string? UpdatedBy,
    [property: JsonPropertyName("completed_at"), JsonConverter(typeof(UtcSecondsJsonConverter))] DateTimeOffset? CompletedAt,
    /// <summary>The last error (failed jobs, and jobs retrying after a failure).</summary>
    [property: JsonPropertyName("error_message")] string? ErrorMessage);

/// <summary><c>{"jobs":[…]}</c>, the envelope of seed 001's list endpoints.</summary>
public sealed record MonitoringJobList([property: JsonPropertyName("jobs")] IReadOnlyList<MonitoringJob> Jobs);

/// <summary><c>GET /api/monitoring/jobs/summary</c>: the latest run of every job name, keyed by name.</summary>
public sealed record MonitoringSummary(
    [property: JsonPropertyName("summary")] IReadOnlyDictionary<string, MonitoringSummaryEntry> Summary);

/// <summary>
/// As in seed 001, fields without a value are left out rather than null: <c>progress</c> only while items are counted or
/// a percentage is reported, <c>next_scheduled</c> only for a job with a schedule.
/// </summary>
public sealed record MonitoringSummaryEntry(
    [property: JsonPropertyName("last_run"), JsonConverter(typeof(UtcSecondsJsonConverter))] DateTimeOffset LastRun,
    [property: JsonPropertyName("status")] string Status,
    /// <summary>"1523/2847 (53.5%)", or "53.5%" without item counts.</summary>
    [property: JsonPropertyName("progress"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Progress,
    [property: JsonPropertyName("duration_seconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? DurationSeconds,
    [property: JsonPropertyName("next_scheduled"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(UtcSecondsJsonConverter))] DateTimeOffset? NextScheduled);
