using System.Reflection;

namespace Jobwatch.Observability;

/// <summary>The names OpenTelemetry users subscribe to: <c>AddMeter(JobwatchDiagnostics.MeterName)</c>, <c>AddSource(JobwatchDiagnostics.ActivitySourceName)</c>.</summary>
public static class JobwatchDiagnostics
{
    public const string MeterName = "Jobwatch";
    public const string ActivitySourceName = "Jobwatch";

    /// <summary>The informational version without the commit suffix (e.g. "0.1.0").</summary>
    public static string Version { get; } =
        typeof(JobwatchDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}

/// <summary>Tag (Prometheus label) names and fixed values. Every instrument passes its tags in one fixed order.</summary>
public static class MetricTags
{
    public const string Queue = "queue";
    public const string JobName = "job_name";
    public const string Outcome = "outcome";
    public const string StatusCode = "status_code";
    public const string StatusLabel = "status_label";
    public const string WorkerId = "worker_id";
    public const string Source = "source";
    public const string SourceType = "source_type";
    public const string State = "state";
    public const string Operation = "operation";
    public const string Status = "status";
    public const string Version = "version";

    public const string CreatedBy = "createdBy";
    public const string UpdatedBy = "updatedBy";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Succeeded = "succeeded";
    public const string Ok = "ok";
    public const string Error = "error";
}
