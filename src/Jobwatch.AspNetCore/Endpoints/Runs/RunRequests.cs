using System.Text.Json;
using Jobwatch.Contracts.Runs;
using Jobwatch.Runs;
using Jobwatch.StatusCodes;

namespace Jobwatch.AspNetCore.Endpoints.Runs;

/// <summary>
/// Checks run bodies and turns them into core calls, collecting every field error (keyed by the JSON field,
/// <c>progress.percent</c> inside complete/fail) so one answer says all that is wrong and nothing is applied
/// until everything is valid. The core validates again; these checks name the field.
/// </summary>
internal static class RunRequests
{
    public const int MaxTextLength = 200;
    public const double MinHeartbeatSeconds = 1;
    public const double MaxHeartbeatSeconds = 86_400;

    public static RunOptions? ToOptions(StartRunRequest r, string actor, Dictionary<string, string[]> errors)
    {
        Text(r.Name, "name", required: true, "the job name the run is listed under, e.g. \"nightly_import\"", errors);
        Text(r.Type, "type", required: false, "a category shared by several names, e.g. \"tick_sync\"", errors);
        Text(r.CreatedBy, "created_by", required: false, "the source that started the run, e.g. \"cron\"", errors);
        if (r.TotalItems < 0)
        {
            errors["total_items"] = [$"total_items must be 0 or more (got {r.TotalItems}); leave it out when the total is not known yet."];
        }
        JsonObject(r.Metadata, "metadata", "{\"priority\": \"high\"}", errors);
        if (r.HeartbeatTimeoutSeconds is { } s && (!double.IsFinite(s) || s < MinHeartbeatSeconds || s > MaxHeartbeatSeconds))
        {
            errors["heartbeat_timeout_seconds"] =
                [$"heartbeat_timeout_seconds must be between {MinHeartbeatSeconds} and {MaxHeartbeatSeconds} (got {s}); the run is marked stalled when no report arrives for that long."];
        }
        if (errors.Count > 0)
        {
            return null;
        }
        var options = new RunOptions
        {
            Name = r.Name,
            Type = r.Type,
            TotalItems = r.TotalItems,
            Metadata = r.Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null,
            CreatedBy = r.CreatedBy ?? actor,
            HeartbeatTimeout = r.HeartbeatTimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
        };
        // The queue name's rules live in the core, which rejects a bad one before anything is written.
        return r.Queue is null ? options : options with { Queue = r.Queue };
    }

    public static void Validate(RunProgressRequest? r, string prefix, Dictionary<string, string[]> errors)
    {
        if (r is null)
        {
            return;
        }
        NotNegative(r.TotalItems, prefix + "total_items", "the number of items the run will process", errors);
        NotNegative(r.ItemsSucceeded, prefix + "items_succeeded", "how many items succeeded since the last report", errors);
        NotNegative(r.ItemsFailed, prefix + "items_failed", "how many items failed since the last report", errors);
        if (r.Percent is { } p && (!double.IsFinite(p) || p < 0 || p > 100))
        {
            errors[prefix + "percent"] = [$"{prefix}percent must be between 0 and 100 (got {p})."];
        }
        JsonObject(r.Custom, prefix + "custom", "{\"batch\": 3, \"total_batches\": 5}", errors);
        Text(r.UpdatedBy, prefix + "updated_by", required: false, "the source reporting, e.g. \"sync-worker-2\"", errors);
    }

    /// <summary>Applies a validated report to the live run. The source goes first, so the progress events carry it.</summary>
    public static void Apply(RunProgressRequest? r, JobRun run)
    {
        var changed = false;
        if (r?.UpdatedBy is { } by) { run.SetUpdatedBy(by); changed = true; }
        if (r?.TotalItems is { } total) { run.SetTotal(total); changed = true; }
        if (r?.Percent is { } percent) { run.ReportPercent(percent); changed = true; }
        if (r?.Custom is { ValueKind: JsonValueKind.Object } custom) { run.ReportCustom(custom.GetRawText()); changed = true; }
        if (r?.ItemsFailed is { } failed && failed > 0) { run.ItemFailed(failed); changed = true; }
        if (r?.ItemsSucceeded is { } succeeded && succeeded > 0) { run.ItemSucceeded(succeeded); changed = true; }
        if (!changed)
        {
            // An empty report (or zero increments) still proves the reporter is alive.
            run.Heartbeat();
        }
    }

    /// <summary>The code to finish with, or an error naming the codes that may be used.</summary>
    public static StatusCodeDefinition? Code(int? given, int fallback, bool success, StatusCodeRegistry registry, Dictionary<string, string[]> errors)
    {
        var code = given ?? fallback;
        if (registry.TryGet(code, out var definition) && IsAllowed(definition, success))
        {
            return definition;
        }
        var allowed = string.Join(", ", registry.All.Where(d => IsAllowed(d, success)).Select(d => $"{d.Code} {d.Label}"));
        var problem = registry.TryGet(code, out var known)
            ? $"status_code {code} ({known.Label}) is a{(known.Class == StatusCodeClass.Error ? "n error" : " " + known.Class.ToString().ToLowerInvariant())} code"
            : $"status_code {code} is not a registered status code";
        var use = success ? "complete takes a success (2xx) or skip (3xx) code — use /fail for errors" : "fail takes an error (4xx or 5xx) code — use /complete for successes";
        errors["status_code"] = [$"{problem}; {use}. Registered codes allowed here: {allowed}. Applications register more with AddStatusCode (GET /api/v1/status-codes lists them all)."];
        return null;
    }

    private static bool IsAllowed(StatusCodeDefinition d, bool success) =>
        success ? d.Class is StatusCodeClass.Success or StatusCodeClass.Skipped : d.Class == StatusCodeClass.Error;

    public static void Text(string? value, string field, bool required, string example, Dictionary<string, string[]> errors)
    {
        if (value is null && !required)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"{field} is {(value is null ? "required" : "empty")}: give {example}."];
        }
        else if (value.Length > MaxTextLength || value.Any(char.IsControl))
        {
            errors[field] = [$"{field} must be 1–{MaxTextLength} characters without control characters (got {value.Length} characters): give {example}."];
        }
    }

    private static void NotNegative(long? value, string field, string what, Dictionary<string, string[]> errors)
    {
        if (value < 0)
        {
            errors[field] = [$"{field} must be 0 or more (got {value}): it is {what}."];
        }
    }

    private static void JsonObject(JsonElement? value, string field, string example, Dictionary<string, string[]> errors)
    {
        if (value is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) } v)
        {
            errors[field] = [$"{field} must be a JSON object, e.g. {example} (got a JSON {v.ValueKind.ToString().ToLowerInvariant()})."];
        }
    }

    /// <summary>One sentence listing every field error, for the problem's detail.</summary>
    public static string Summary(Dictionary<string, string[]> errors) => string.Join(" ", errors.Values.SelectMany(v => v));
}
