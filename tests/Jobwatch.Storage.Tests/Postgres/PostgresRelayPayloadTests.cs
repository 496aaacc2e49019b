using System.Text;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Storage.Postgres.Notifications;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>The relay's payload packing and outbox, without a server.</summary>
public sealed class PostgresRelayPayloadTests
{
    private const int NotifyLimit = 8_000; // PostgreSQL refuses a payload of this many bytes or more
    private static readonly DateTimeOffset T0 = new(2031, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);
    private const string Node = "0123456789abcdef0123456789abcdef";

    private static JobEvent Event(JobEventKind kind, long jobId, string? error = null) => new()
    {
        Kind = kind, JobId = jobId, Queue = "mail", Name = "send_email", At = T0, State = JobState.Active, Error = error,
        Progress = new JobProgressInfo(100, jobId, 0, 12.5, 3.2, 9.9, """{"phase":"ü"}"""),
    };

    private static IReadOnlyList<JobEvent> Unpack(IEnumerable<string> payloads) =>
        payloads.Select(p => EventPayloadCodec.Unpack(p) ?? throw new InvalidOperationException("Undecodable payload")).SelectMany(e => e.Events).ToArray();

    [Fact]
    public void Pack_SplitsManyEventsIntoPayloadsUnderTheLimit_AndRoundTrips()
    {
        var events = Enumerable.Range(0, 1_000).Select(i => Event(i % 2 == 0 ? JobEventKind.Started : JobEventKind.Failed, i, i % 7 == 0 ? new string('z', 2_500) : "boom")).ToArray();
        long sequence = 41;

        var packed = EventPayloadCodec.Pack(Node, ref sequence, events);

        Assert.True(packed.Payloads.Count > 10, $"Expected the events to need several payloads, got {packed.Payloads.Count}.");
        Assert.All(packed.Payloads, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, EventPayloadCodec.MaxPayloadBytes));
        Assert.All(packed.Payloads, p => Assert.True(p.All(char.IsAscii), "A payload must be ASCII."));
        Assert.Equal(41 + packed.Payloads.Count, sequence);
        var envelopes = packed.Payloads.Select(p => EventPayloadCodec.Unpack(p)!).ToArray();
        Assert.Equal(Enumerable.Range(42, packed.Payloads.Count).Select(s => (long)s), envelopes.Select(e => e.Sequence));
        Assert.All(envelopes, e => Assert.Equal(Node, e.Node));
        Assert.Equal(events, Unpack(packed.Payloads));
        Assert.Equal(0, packed.Truncated);
        Assert.Equal(0, packed.Dropped);
    }

    [Fact]
    public void Pack_TruncatesAnEventTooLargeForOnePayload()
    {
        var error = string.Concat(Enumerable.Repeat("😀ü", 50_000)); // surrogate pairs and escapes: 12+6 bytes a repeat
        var big = Event(JobEventKind.DeadLettered, 7, error) with { Name = new string('n', 5_000) };
        long sequence = 0;

        var packed = EventPayloadCodec.Pack(Node, ref sequence, [Event(JobEventKind.Created, 6), big, Event(JobEventKind.Created, 8)]);

        Assert.All(packed.Payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < NotifyLimit));
        Assert.Equal(1, packed.Truncated);
        var received = Unpack(packed.Payloads);
        Assert.Equal([6L, 7L, 8L], received.Select(e => e.JobId));
        var cut = received[1];
        Assert.StartsWith("😀ü", cut.Error);
        Assert.EndsWith("(truncated)", cut.Error);
        Assert.True(cut.Error!.Length < 1_100);
        Assert.Equal(JobEventKind.DeadLettered, cut.Kind);
    }

    [Fact]
    public void IsFrom_RecognisesOnlyTheSendersOwnPayloads()
    {
        long sequence = 0;
        var payload = EventPayloadCodec.Pack(Node, ref sequence, [Event(JobEventKind.Created, 1)]).Payloads.Single();
        var longer = EventPayloadCodec.Pack(Node + "ff", ref sequence, [Event(JobEventKind.Created, 2)]).Payloads.Single();

        Assert.True(EventPayloadCodec.IsFrom(payload, EventPayloadCodec.NodePrefix(Node)));
        Assert.False(EventPayloadCodec.IsFrom(longer, EventPayloadCodec.NodePrefix(Node)), "A node whose id extends this one's is another node.");
        Assert.False(EventPayloadCodec.IsFrom(payload, EventPayloadCodec.NodePrefix("fedcba9876543210fedcba9876543210")));
        Assert.Equal(Node, EventPayloadCodec.Unpack(payload)!.Node);
    }

    [Fact]
    public void Unpack_IgnoresForeignPayloads()
    {
        Assert.Null(EventPayloadCodec.Unpack("not json"));
        Assert.Null(EventPayloadCodec.Unpack("""{"v":99,"n":"x","s":1,"e":[]}"""));
    }

    [Fact]
    public void Outbox_CoalescesProgressPerJobInPlace_AndKeepsLifecycleOrder()
    {
        var outbox = new EventOutbox(100);
        outbox.Add(Event(JobEventKind.Started, 1));
        outbox.Add(Event(JobEventKind.Progress, 1) with { Attempt = 1 });
        outbox.Add(Event(JobEventKind.Progress, 2) with { Attempt = 1 });
        outbox.Add(Event(JobEventKind.Progress, 1) with { Attempt = 2 });
        outbox.Add(Event(JobEventKind.Completed, 1));
        outbox.Add(Event(JobEventKind.Progress, 1) with { Attempt = 3 }); // after completion: a new slot, behind it

        var taken = outbox.Take(100);

        Assert.Equal(
            [(JobEventKind.Started, 1L, 0), (JobEventKind.Progress, 1L, 2), (JobEventKind.Progress, 2L, 1), (JobEventKind.Completed, 1L, 0), (JobEventKind.Progress, 1L, 3)],
            taken.Select(e => (e.Kind, e.JobId, e.Attempt)));
        Assert.Empty(outbox.Take(100));
    }

    [Fact]
    public void Outbox_WhenFull_DropsAndCountsButStillCoalesces()
    {
        var outbox = new EventOutbox(3);
        Assert.True(outbox.Add(Event(JobEventKind.Progress, 1)));
        Assert.True(outbox.Add(Event(JobEventKind.Created, 2)));
        Assert.True(outbox.Add(Event(JobEventKind.Created, 3)));

        Assert.False(outbox.Add(Event(JobEventKind.Created, 4)));
        Assert.False(outbox.Add(Event(JobEventKind.Progress, 5)));
        Assert.True(outbox.Add(Event(JobEventKind.Progress, 1) with { Attempt = 9 }));

        Assert.Equal(2, outbox.Dropped);
        Assert.Equal([1L, 2L, 3L], outbox.Take(10).Select(e => e.JobId));
    }
}
