namespace Jobwatch.Observability;

/// <summary>Metrics settings (<c>Jobwatch:Metrics</c> in configuration). See docs/metrics.md.</summary>
public sealed class JobwatchMetricsOptions
{
    /// <summary>Distinct <c>job_name</c> label values per process; later names are reported as <c>other</c>. Registered handler names are admitted first.</summary>
    public int MaxJobNames { get; set; } = 100;

    /// <summary>Distinct <c>source</c> label values (createdBy / updatedBy) per process; later ones are reported as <c>other</c>.</summary>
    public int MaxSources { get; set; } = 100;

    /// <summary>Distinct <c>queue</c> label values per process; later ones are reported as <c>other</c>. Queues with handlers are admitted first.</summary>
    public int MaxQueues { get; set; } = 1000;

    /// <summary>
    /// How old the store-sampled gauges (queue counts, dead-letter size, storage up/latency, last success) may be
    /// before a scrape samples the store again. Several scrapers within this window share one sample.
    /// </summary>
    public TimeSpan StoreSampleMaxAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a scrape waits for a store sample; after that it serves the previous one and reports storage down.</summary>
    public TimeSpan StoreSampleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal IEnumerable<string> Validate()
    {
        if (MaxJobNames < 1) yield return "Jobwatch:Metrics:MaxJobNames must be at least 1.";
        if (MaxSources < 1) yield return "Jobwatch:Metrics:MaxSources must be at least 1.";
        if (MaxQueues < 1) yield return "Jobwatch:Metrics:MaxQueues must be at least 1.";
        if (StoreSampleMaxAge < TimeSpan.Zero) yield return "Jobwatch:Metrics:StoreSampleMaxAge must not be negative (0 samples the store on every scrape).";
        if (StoreSampleTimeout <= TimeSpan.Zero) yield return "Jobwatch:Metrics:StoreSampleTimeout must be positive.";
    }
}
