using System.Text.Json;
using Jobwatch.Client;
using Jobwatch.Contracts.Jobs;
using Jobwatch.Handlers;

namespace Jobwatch.AspNetCore.Endpoints.Jobs;

/// <summary>
/// Turns enqueue bodies into core requests, collecting every field error (keyed by field, <c>jobs[3].name</c> in a
/// batch) so one answer tells the caller all that is wrong. The core validates again; its rules are the law, these
/// checks only name the field.
/// </summary>
internal static class JobEnqueue
{
    public const int MaxBatch = 1000;
    public const int MaxCreatedByLength = 200;
    /// <summary>Ten years: beyond, a delay or timeout is a mistake (and overflows the clock's arithmetic).</summary>
    public const double MaxSeconds = 10 * 365 * 24 * 3600.0;

    public static JobEnqueueRequest? Translate(EnqueueJobRequest r, string prefix, JobDefinitionRegistry definitions, string actor, Dictionary<string, string[]> errors)
    {
        var before = errors.Count;
        void Error(string field, string message) => errors[prefix + field] = [message];

        JobDefinition? definition = null;
        if (string.IsNullOrWhiteSpace(r.Name))
        {
            Error("name", $"name is required: one of the registered job names ({Registered(definitions)}).");
        }
        else if (!definitions.TryGet(r.Name, out definition))
        {
            Error("name", $"No job is registered as '{r.Name}'. Registered names: {Registered(definitions)}.");
        }
        var args = r.Args is { ValueKind: not JsonValueKind.Null } a ? a : (JsonElement?)null;
        if (definition is not null && args is { } value)
        {
            try
            {
                JsonSerializer.Deserialize(value, definition.ArgsType, JobJson.Options);
            }
            catch (JsonException ex)
            {
                Error("args", $"args do not fit job '{definition.Name}': {ex.Message.Split(". Path:", 2)[0]}. Send the arguments its handler expects.");
            }
        }
        if (r.DelaySeconds is not null && r.RunAt is not null)
        {
            Error("delay_seconds", "Give delay_seconds or run_at, not both.");
        }
        else if (r.DelaySeconds is { } delay && delay is < 0 or > MaxSeconds)
        {
            Error("delay_seconds", $"delay_seconds must be from 0 to {MaxSeconds:0} (ten years) (got {delay}); for a fixed time use run_at.");
        }
        if (r.MaxAttempts is < 1)
        {
            Error("max_attempts", $"max_attempts must be at least 1 (got {r.MaxAttempts}); leave it out for the handler's default.");
        }
        if (r.TimeoutSeconds is { } timeout && (timeout <= 0 || timeout > MaxSeconds))
        {
            Error("timeout_seconds", $"timeout_seconds must be more than 0 and at most {MaxSeconds:0} (got {timeout}); leave it out for the handler's default.");
        }
        var metadata = r.Metadata is { ValueKind: not JsonValueKind.Null } m ? m : (JsonElement?)null;
        if (metadata is { ValueKind: not JsonValueKind.Object } md)
        {
            Error("metadata", $"metadata must be a JSON object such as {{\"priority\": \"high\"}} (got a {md.ValueKind.ToString().ToLowerInvariant()}).");
        }
        if (r.CreatedBy is { Length: > MaxCreatedByLength })
        {
            Error("created_by", $"created_by is {r.CreatedBy.Length} characters long; at most {MaxCreatedByLength} are accepted.");
        }
        if (r.Queue is { Length: 0 })
        {
            Error("queue", "queue is empty; name a queue, or leave it out for the handler's default queue.");
        }
        if (definition is null || errors.Count > before)
        {
            return null;
        }
        return new JobEnqueueRequest(definition.Name, args, new EnqueueOptions
        {
            Queue = r.Queue,
            Delay = r.DelaySeconds is { } d ? TimeSpan.FromSeconds(d) : null,
            RunAt = r.RunAt,
            Priority = r.Priority,
            MaxAttempts = r.MaxAttempts,
            Timeout = r.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
            CreatedBy = string.IsNullOrWhiteSpace(r.CreatedBy) ? actor : r.CreatedBy,
            Metadata = metadata,
        });
    }

    /// <summary>The queue a request ends up on (its own, or the handler's default).</summary>
    public static string QueueOf(JobEnqueueRequest request, JobDefinitionRegistry definitions) =>
        request.Options?.Queue ?? definitions.Get(request.Name).Options.Queue;

    /// <summary>
    /// Which field a core <see cref="ArgumentException"/> is about. The core names only the queue (its other rules are
    /// checked above first); in a batch the bad queue is found by the name the message quotes.
    /// </summary>
    public static string FieldOf(ArgumentException ex, IReadOnlyList<JobEnqueueRequest> requests, JobDefinitionRegistry definitions, bool batch)
    {
        var field = ex.ParamName == "queue" ? "queue" : "job";
        if (!batch)
        {
            return field;
        }
        for (var i = 0; i < requests.Count; i++)
        {
            if (field == "queue" && ex.Message.Contains($"'{QueueOf(requests[i], definitions)}'", StringComparison.Ordinal))
            {
                return $"jobs[{i}].queue";
            }
        }
        return "jobs";
    }

    public static string Registered(JobDefinitionRegistry definitions) =>
        definitions.All.Count == 0 ? "none registered" : string.Join(", ", definitions.All.Select(d => d.Name).Order(StringComparer.Ordinal));
}
