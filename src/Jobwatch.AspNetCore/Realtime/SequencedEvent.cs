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

/// <summary>One message to a client: the event name (hub method / SSE <c>event:</c>), its payload, and the SSE id it resumes after.</summary>
internal sealed record OutgoingMessage(string Name, object Payload, long Seq);
