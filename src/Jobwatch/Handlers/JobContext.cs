using System.Text.Json;
using Jobwatch.Model;
using Jobwatch.Events;
using Jobwatch.Progress;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Handlers;

/// <summary>What a handler knows about the attempt it runs, and how it reports progress.</summary>
public sealed class JobContext : IProgressReporter
{
    private readonly ProgressTracker _progress;

    internal JobContext(JobRecord job, ProgressTracker progress, ILogger logger, CancellationToken cancellationToken, CancellationToken shutdownToken = default)
    {
        Job = job;
        _progress = progress;
        Logger = logger;
        CancellationToken = cancellationToken;
        ShutdownToken = shutdownToken;
    }

    internal JobRecord Job { get; }

    public long JobId => Job.Id;
    public string Name => Job.Name;
    public string Type => Job.Type;
    public string Queue => Job.Queue;
    /// <summary>1 for the first execution in this round.</summary>
    public int Attempt => Job.Attempt;
    public int MaxAttempts => Job.MaxAttempts;
    public string? CreatedBy => Job.CreatedBy;
    public DateTimeOffset CreatedAt => Job.CreatedAt;
    /// <summary>The metadata given at enqueue, as raw JSON (null when none).</summary>
    public string? MetadataJson => Job.Metadata;

    /// <summary>A logger whose every line carries this job's id, name, queue and attempt.</summary>
    public ILogger Logger { get; }

    /// <summary>Signalled on timeout, cancellation by an operator, loss of the lease, or shutdown.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Signalled as soon as the host starts shutting down, before <see cref="CancellationToken"/>. A
    /// long handler may stop between items and throw <see cref="OperationCanceledException"/> (or
    /// return) so its job is released at once and runs again elsewhere.
    /// </summary>
    public CancellationToken ShutdownToken { get; }

    public T? GetMetadata<T>() => Job.Metadata is null ? default : JsonSerializer.Deserialize<T>(Job.Metadata, JobJson.Options);

    public JobProgressInfo Progress => _progress.Info();

    public void SetTotal(long totalItems) => _progress.SetTotal(totalItems);
    public void ItemSucceeded(long count = 1) => _progress.ItemSucceeded(count);
    public void ItemFailed(long count = 1) => _progress.ItemFailed(count);
    public void ReportPercent(double percent) => _progress.ReportPercent(percent);
    public void ReportCustom(object progress) => _progress.ReportCustom(progress);
    public void SetUpdatedBy(string source) => _progress.SetUpdatedBy(source);
}

/// <summary>The JSON conventions for payloads, metadata and results: camelCase, like the seeds' job data.</summary>
public static class JobJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
