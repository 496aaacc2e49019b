using System.Text.Json;
using System.Text.Json.Serialization;
using Jobwatch.Events;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// A job event numbered by the feed, in the one order every client sees. The wire payloads are built once,
/// on first use, and shared by every client that receives the event.
/// </summary>
internal sealed class SequencedEvent(long seq, JobEvent e, long receivedTimestamp)
{
    private OutgoingMessage? _message;
    private OutgoingMessage? _custom;

    public long Seq { get; } = seq;
    public JobEvent Event { get; } = e;
    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the feed took it from the bus (replay-window age).</summary>
    public long ReceivedTimestamp { get; } = receivedTimestamp;

    public OutgoingMessage Message => _message ??= EventPayloads.FromEvent(Event, Seq);

    /// <summary>The custom-progress message for a progress event that carries a custom object.</summary>
    public OutgoingMessage? CustomMessage =>
        Event.Progress?.CustomProgress is null ? null : _custom ??= EventPayloads.CustomFromEvent(Event, Seq);
}

/// <summary>
/// One message to a client: the event name (hub method / SSE <c>event:</c>), its payload, and the SSE id it resumes after.
/// The payload is serialized once, with the realtime surface's own settings, however many clients receive it.
/// </summary>
internal sealed class OutgoingMessage(string name, object payload, long seq)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private SerializedPayload? _serialized;

    public string Name { get; } = name;
    public object Payload { get; } = payload;
    public long Seq { get; } = seq;

    public SerializedPayload Serialized => _serialized ??= new SerializedPayload(JsonSerializer.SerializeToUtf8Bytes(Payload, Payload.GetType(), Json));
}

/// <summary>A payload already in JSON: SignalR's JSON protocol copies the bytes instead of serializing the record again per connection.</summary>
[JsonConverter(typeof(SerializedPayloadConverter))]
internal sealed class SerializedPayload(byte[] utf8)
{
    public byte[] Utf8 { get; } = utf8;
}

internal sealed class SerializedPayloadConverter : JsonConverter<SerializedPayload>
{
    public override SerializedPayload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Realtime payloads are only sent.");

    public override void Write(Utf8JsonWriter writer, SerializedPayload value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
}
