using System.Text.Json;
using Jobwatch.Contracts.Jobs;
using Jobwatch.Model;
using Jobwatch.Monitoring;

namespace Jobwatch.AspNetCore.Endpoints.Jobs;

/// <summary>Core job views to the /api/v1 wire records.</summary>
internal static class JobMapping
{
    // Stored JSON is embedded as JSON, a few levels below the response's root; deeper than this (possible for jobs
    // enqueued in-process, where no depth limit applies) it travels as a string so the response still serializes.
    private const int MaxEmbeddedDepth = 48;

    public static JobDto ToDto(JobView view)
    {
        var j = view.Job;
        return new JobDto
        {
            Id = j.Id,
            Queue = j.Queue,
            Name = j.Name,
            Type = j.Type,
            State = j.State.ToName(),
            StatusCode = j.StatusCode,
            StatusLabel = j.StatusLabel,
            CreatedBy = j.CreatedBy,
            UpdatedBy = j.UpdatedBy,
            Args = Embed(j.Payload),
            Metadata = Embed(j.Metadata),
            Priority = j.Priority,
            Attempt = j.Attempt,
            MaxAttempts = j.MaxAttempts,
            StalledCount = j.StalledCount,
            External = j.IsExternal,
            RunAt = j.RunAt,
            CreatedAt = j.CreatedAt,
            StartedAt = j.StartedAt,
            FinishedAt = j.FinishedAt,
            WorkerId = j.WorkerId,
            TimeoutMs = j.TimeoutMs,
            TotalItems = j.TotalItems,
            ItemsProcessed = j.ItemsProcessed,
            ItemsSucceeded = j.ItemsSucceeded,
            ItemsFailed = j.ItemsFailed,
            ProgressPercent = view.ProgressPercent,
            ItemsPerSecond = view.ItemsPerSecond,
            ElapsedSeconds = view.ElapsedSeconds,
            EtaSeconds = view.EstimatedRemainingSeconds,
            DurationSeconds = view.DurationSeconds,
            CustomProgress = Embed(j.CustomProgress),
            LastError = j.LastError,
            Result = Embed(j.Result),
        };
    }

    /// <summary>A job without the read-time figures (when it could not be read back with them).</summary>
    public static JobDto ToDto(JobRecord job) => ToDto(new JobView(job, null, null, null, null, null));

    public static JobDetailResponse ToDetail(JobDetail detail) => new(
        ToDto(detail.View),
        detail.View.Job.LastErrorStack,
        detail.View.Job.TraceParent,
        detail.Timeline.Select(t => new JobTimelineEntryDto(t.At, t.Kind, t.State.ToName(), t.Attempt, t.StatusCode, t.WorkerId, t.Message)).ToArray());

    private static JsonElement? Embed(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxEmbeddedDepth });
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }
}
