namespace Jobwatch.Progress;

/// <summary>How a handler or an external run reports progress. Every call is cheap: it updates memory,
/// pushes to live subscribers, and is written to storage coalesced.</summary>
public interface IProgressReporter
{
    void SetTotal(long totalItems);
    void ItemSucceeded(long count = 1);
    void ItemFailed(long count = 1);
    /// <summary>A percentage (0–100) for work that does not count items.</summary>
    void ReportPercent(double percent);
    /// <summary>Any JSON-serialisable object (seed 003's custom progress), e.g. <c>new { batch = 3, totalBatches = 5 }</c>.</summary>
    void ReportCustom(object progress);
    /// <summary>The source that last touched the entity (seed 000's updatedBy).</summary>
    void SetUpdatedBy(string source);
}
