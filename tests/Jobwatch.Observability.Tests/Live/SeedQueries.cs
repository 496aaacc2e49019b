namespace Jobwatch.Observability.Tests.Live;

/// <summary>Seed 000's example PromQL with Jobwatch's metric names (bullmq_jobs_by_status_code → jobwatch_jobs_by_status_code_total).</summary>
public static class SeedQueries
{
    public static readonly string[] All =
    [
        // "Rate of successful jobs per minute"
        """rate(jobwatch_jobs_by_status_code_total{status_label=~"SUCCESS.*"}[5m])""",
        // "Count of rate-limited jobs in last hour"
        """sum(increase(jobwatch_jobs_by_status_code_total{status_code="429"}[1h]))""",
        // "Error rate by queue": the seed writes rate(…) by (queue), which is not PromQL; this is what it means.
        """sum by (queue) (rate(jobwatch_jobs_by_status_code_total{status_label=~"ERROR.*"}[5m]))""",
        // "Jobs created by guild roster scanner"
        """rate(jobwatch_jobs_by_source_total{source="OSINT-GUILD-ROSTER", source_type="createdBy"}[5m])""",
        // "Distribution of update sources"
        """sum by (source) (increase(jobwatch_jobs_by_source_total{source_type="updatedBy"}[1h]))""",
        // Common queries: jobs with a specific status.
        """sum by (queue) (increase(jobwatch_jobs_by_status_code_total{status_label="SUCCESS"}[1h]))""",
        """sum by (queue) (increase(jobwatch_jobs_by_status_code_total{status_label="RATE_LIMITED"}[1h]))""",
        """sum by (queue, status_label) (increase(jobwatch_jobs_by_status_code_total{status_label=~"ERROR.*"}[1h]))""",
        // Common queries: job sources.
        """sum by (queue) (increase(jobwatch_jobs_by_source_total{source="OSINT-GUILD-ROSTER", source_type="createdBy"}[1h]))""",
        """sum by (source) (increase(jobwatch_jobs_by_source_total{source_type="updatedBy"}[6h]))""",
        // Success vs error ratio.
        """sum(increase(jobwatch_jobs_by_status_code_total{status_label=~"SUCCESS.*"}[1h])) / sum(increase(jobwatch_jobs_by_status_code_total[1h])) * 100""",
        """sum(increase(jobwatch_jobs_by_status_code_total{status_label=~"ERROR.*|RATE_LIMITED"}[1h])) / sum(increase(jobwatch_jobs_by_status_code_total[1h])) * 100""",
    ];
}
