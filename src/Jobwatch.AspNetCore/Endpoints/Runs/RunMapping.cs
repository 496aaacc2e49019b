using System.Text.Json;
using Jobwatch.Contracts.Runs;
using Jobwatch.Model;
using Jobwatch.Progress;
using Jobwatch.Runs;

namespace Jobwatch.AspNetCore.Endpoints.Runs;

/// <summary>Builds <see cref="RunDto"/> from the stored run, overlaid with the live progress when this process holds it.</summary>
internal static class RunMapping
{
    public static RunDto ToDto(JobRecord job, JobRun? held, DateTimeOffset now)
    {
        var live = held is not null && job.State == JobState.Active;
        var progress = live ? held!.Progress : null;
        long? total = progress is not null ? progress.TotalItems : job.TotalItems;
        var succeeded = progress?.ItemsSucceeded ?? job.ItemsSucceeded;
        var failed = progress?.ItemsFailed ?? job.ItemsFailed;
        var processed = succeeded + failed;
        var elapsed = job.StartedAt is { } s ? (job.FinishedAt ?? now) - s : (TimeSpan?)null;
        var positive = elapsed is { } e && e > TimeSpan.Zero ? e : TimeSpan.Zero;
        double? percent = live ? progress!.Percent : ProgressMath.Percent(total, processed, job.ReportedPercent);
        if (percent is null && job.State == JobState.Completed)
        {
            percent = 100;
        }
        return new RunDto
        {
            Id = job.Id,
            Name = job.Name,
            Type = job.Type,
            Queue = job.Queue,
            State = job.State.ToName(),
            EndedAs = RunLookup.EndedAsOf(job),
            AcceptingReports = live && !held!.IsFinished,
            StatusCode = job.StatusCode,
            StatusLabel = job.StatusLabel,
            CreatedBy = job.CreatedBy,
            UpdatedBy = live ? held!.UpdatedBy ?? job.UpdatedBy : job.UpdatedBy,
            Metadata = Json(job.Metadata),
            StartedAt = job.StartedAt,
            FinishedAt = job.FinishedAt,
            LeaseUntil = job.State != JobState.Active ? null : live ? held!.LeaseUntil : job.LeaseUntil,
            HeartbeatTimeoutSeconds = live ? held!.HeartbeatTimeout.TotalSeconds : null,
            TotalItems = total,
            ItemsProcessed = processed,
            ItemsSucceeded = succeeded,
            ItemsFailed = failed,
            ProgressPercent = percent,
            ElapsedSeconds = elapsed is null ? null : Math.Round(positive.TotalSeconds, 3),
            EtaSeconds = job.State != JobState.Active ? null
                : live ? progress!.EtaSeconds : ProgressMath.EtaSeconds(total, processed, job.ReportedPercent, positive),
            ItemsPerSecond = live ? progress!.ItemsPerSecond : ProgressMath.ItemsPerSecond(processed, positive),
            CustomProgress = Json(live ? progress!.CustomProgress : job.CustomProgress),
            Result = Json(job.Result),
            LastError = job.LastError,
        };
    }

    /// <summary>Stored JSON text as a JSON value; text that does not parse (never written by Jobwatch) travels as a string.</summary>
    private static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
