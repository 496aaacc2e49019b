using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jobwatch.Events;

namespace Jobwatch.Storage.Postgres.Notifications;

/// <summary>
/// Packs job events into NOTIFY payloads and back. A payload is one JSON envelope,
/// <c>{"v":1,"n":"&lt;node&gt;","s":&lt;sequence&gt;,"e":[event, …]}</c>, holding as many events as fit
/// in <see cref="MaxPayloadBytes"/> (PostgreSQL refuses 8,000 bytes or more). The node id lets a
/// node ignore its own events; the sequence keeps two equal payloads of one transaction from being
/// merged into one by PostgreSQL. JSON escapes every non-ASCII character, so a payload is ASCII
/// and its size in bytes is the same in any server encoding.
/// </summary>
internal static class EventPayloadCodec
{
    public const int MaxPayloadBytes = 7_900;
    public const int Version = 1;

    /// <summary>Room for the envelope around the events, with the longest possible sequence number.</summary>
    private const int EnvelopeReserve = 64;

    /// <summary>How far each shrinking step cuts an event that does not fit alone.</summary>
    private const int ErrorChars = 1_000, ShortErrorChars = 100, FieldChars = 200;

    public static PackResult Pack(string node, ref long sequence, IReadOnlyList<JobEvent> events)
    {
        if (node.Length > 40 || node.Any(c => !char.IsAsciiLetterOrDigit(c)))
        {
            throw new ArgumentException("A node id is at most 40 ASCII letters or digits.", nameof(node));
        }
        var payloads = new List<string>();
        var body = new ArrayBufferWriter<byte>(MaxPayloadBytes);
        int truncated = 0, dropped = 0, inBody = 0;
        var seq = sequence;

        void Flush()
        {
            if (inBody == 0)
            {
                return;
            }
            var header = string.Concat(NodePrefix(node), $",\"s\":{++seq},\"e\":[");
            payloads.Add(string.Concat(header, Encoding.ASCII.GetString(body.WrittenSpan), "]}"));
            body.ResetWrittenCount();
            inBody = 0;
        }

        foreach (var e in events)
        {
            var json = Serialize(e);
            if (json.Length > MaxPayloadBytes - EnvelopeReserve)
            {
                json = Shrink(e);
                if (json is null)
                {
                    dropped++;
                    continue;
                }
                truncated++;
            }
            if (body.WrittenCount + 1 + json.Length > MaxPayloadBytes - EnvelopeReserve)
            {
                Flush();
            }
            if (inBody > 0)
            {
                body.Write(","u8);
            }
            body.Write(json);
            inBody++;
        }
        Flush();
        sequence = seq;
        return new PackResult(payloads, truncated, dropped);
    }

    /// <summary>How every payload <paramref name="node"/> packs begins: the version and the node, before any event.</summary>
    public static string NodePrefix(string node) => $"{{\"v\":{Version},\"n\":\"{node}\"";

    /// <summary>
    /// Whether a payload was packed by the node whose <see cref="NodePrefix"/> is given. NOTIFY echoes every payload
    /// back to its sender, so this lets a node drop its own without parsing a few kilobytes of events it already has.
    /// </summary>
    public static bool IsFrom(string payload, string nodePrefix) => payload.StartsWith(nodePrefix, StringComparison.Ordinal);

    /// <summary>The envelope of a payload, or null when it is not one (another version, or not ours).</summary>
    public static RelayEnvelope? Unpack(string payload)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize(payload, RelayJsonContext.Default.RelayEnvelope);
            return envelope is { Version: Version } ? envelope : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Serialize(JobEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, RelayJsonContext.Default.JobEvent);

    /// <summary>Cuts an event that does not fit in a payload alone, step by step; null when nothing makes it fit.</summary>
    private static byte[]? Shrink(JobEvent e)
    {
        const string Mark = " …(truncated)";
        var steps = new Func<JobEvent, JobEvent>[]
        {
            x => x with { Error = Cut(x.Error, ErrorChars, Mark) },
            x => x with { Progress = x.Progress is null ? null : x.Progress with { CustomProgress = null } },
            x => x with { Error = Cut(x.Error, ShortErrorChars, Mark) },
            x => x with
            {
                Name = Cut(x.Name, FieldChars, "")!, Queue = Cut(x.Queue, FieldChars, "")!, Type = Cut(x.Type, FieldChars, ""),
                StatusLabel = Cut(x.StatusLabel, FieldChars, ""), CreatedBy = Cut(x.CreatedBy, FieldChars, ""),
                UpdatedBy = Cut(x.UpdatedBy, FieldChars, ""), WorkerId = Cut(x.WorkerId, FieldChars, ""),
            },
        };
        foreach (var step in steps)
        {
            e = step(e);
            var json = Serialize(e);
            if (json.Length <= MaxPayloadBytes - EnvelopeReserve)
            {
                return json;
            }
        }
        return null;
    }

    private static string? Cut(string? text, int chars, string mark)
    {
        if (text is null || text.Length <= chars)
        {
            return text;
        }
        // Never split a surrogate pair: half a character is not valid text.
        var at = char.IsLowSurrogate(text[chars]) ? chars - 1 : chars;
        return string.Concat(text.AsSpan(0, at), mark);
    }
}

internal sealed record PackResult(IReadOnlyList<string> Payloads, int Truncated, int Dropped);

internal sealed record RelayEnvelope(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("n")] string Node,
    [property: JsonPropertyName("s")] long Sequence,
    [property: JsonPropertyName("e")] JobEvent[] Events);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(JobEvent))]
[JsonSerializable(typeof(RelayEnvelope))]
internal sealed partial class RelayJsonContext : JsonSerializerContext;
