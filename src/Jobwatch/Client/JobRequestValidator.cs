using System.Text.Json;
using System.Text.RegularExpressions;
using Jobwatch.Handlers;
using Jobwatch.Storage;

namespace Jobwatch.Client;

/// <summary>Checks an enqueue request and turns it into a store insert, with messages that say how to fix it.</summary>
internal static partial class JobRequestValidator
{
    public const int MaxNameLength = 200;

    [GeneratedRegex("^[A-Za-z0-9_.:\\-]+$")]
    private static partial Regex QueueNamePattern();

    public static void ValidateQueueName(string queue)
    {
        if (string.IsNullOrEmpty(queue) || queue.Length > MaxNameLength || !QueueNamePattern().IsMatch(queue))
        {
            throw new ArgumentException($"Queue name '{queue}' is not valid: use 1–{MaxNameLength} letters, digits, '_', '-', '.' or ':'.", nameof(queue));
        }
    }

    public static JobInsertParams ToInsert(JobEnqueueRequest request, JobDefinitionRegistry definitions, DateTimeOffset now, string? traceParent)
    {
        var definition = definitions.Get(request.Name);
        var o = request.Options ?? new EnqueueOptions();
        if (o.Delay is not null && o.RunAt is not null)
        {
            throw new ArgumentException("Give either Delay or RunAt, not both.");
        }
        if (o.Delay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Delay must not be negative (got {o.Delay}).");
        }
        var maxAttempts = o.MaxAttempts ?? definition.Options.MaxAttempts;
        if (maxAttempts < 1)
        {
            throw new ArgumentException($"MaxAttempts must be at least 1 (got {maxAttempts}).");
        }
        if (o.Timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Timeout must be positive (got {t}).");
        }
        var queue = o.Queue ?? definition.Options.Queue;
        ValidateQueueName(queue);
        return new JobInsertParams
        {
            Queue = queue,
            Name = definition.Name,
            Type = definition.Type,
            Payload = ToJson(request.Args, "args") ?? "{}",
            Metadata = ToJson(o.Metadata, "metadata"),
            Priority = o.Priority ?? definition.Options.Priority,
            MaxAttempts = maxAttempts,
            RunAt = o.RunAt ?? (o.Delay is { } d ? now + d : now),
            CreatedBy = string.IsNullOrWhiteSpace(o.CreatedBy) ? null : o.CreatedBy,
            TimeoutMs = (long?)(o.Timeout ?? definition.Options.Timeout)?.TotalMilliseconds,
            TraceParent = traceParent,
        };
    }

    /// <summary>Objects are serialised; a string is taken as JSON text and must parse.</summary>
    private static string? ToJson(object? value, string what)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                try
                {
                    using var _ = JsonDocument.Parse(s);
                    return s;
                }
                catch (JsonException ex)
                {
                    throw new ArgumentException($"The {what} string is not valid JSON: {ex.Message}. Pass an object, or a JSON text.", ex);
                }
            case JsonElement e:
                return e.GetRawText();
            default:
                return JsonSerializer.Serialize(value, value.GetType(), JobJson.Options);
        }
    }
}
