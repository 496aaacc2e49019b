using System.Buffers;
using System.Text;
using System.Text.Json;
using Jobwatch.Client;
using Jobwatch.Model;

namespace Jobwatch.Audit;

/// <summary>The JSON details <c>JobClient</c> records with its actions (snake_case, like the rest of the stored JSON).</summary>
internal static class AuditDetails
{
    /// <summary>A bulk retry lists at most this many ids; <c>count</c> always has the full number.</summary>
    public const int MaxIds = 100;

    /// <summary>The job as the action left it (or found it, when not allowed): enough to tell what it was without the job, which may be gone.</summary>
    public static string Job(JobRecord job) => Write(w =>
    {
        w.WriteString("queue", job.Queue);
        w.WriteString("name", job.Name);
        w.WriteString("state", job.State.ToName());
    });

    public static string DeadLetterRetry(DeadLetterFilter filter, IReadOnlyList<long> ids) => Write(w =>
    {
        w.WriteStartObject("filter");
        if (filter.Queue is not null) w.WriteString("queue", filter.Queue);
        if (filter.Name is not null) w.WriteString("name", filter.Name);
        if (filter.StatusCode is { } code) w.WriteNumber("status_code", code);
        if (filter.FailedAfter is { } after) w.WriteString("failed_after", after);
        if (filter.FailedBefore is { } before) w.WriteString("failed_before", before);
        w.WriteNumber("limit", filter.Limit);
        w.WriteEndObject();
        w.WriteNumber("count", ids.Count);
        w.WriteStartArray("ids");
        for (var i = 0; i < ids.Count && i < MaxIds; i++)
        {
            w.WriteNumberValue(ids[i]);
        }
        w.WriteEndArray();
        w.WriteBoolean("ids_truncated", ids.Count > MaxIds);
    });

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
