using System.Text.Json;
using Jobwatch.Handlers;

namespace Jobwatch.Server.Demo;

/// <summary>One event as seed 004's consumer receives it; <see cref="Body"/> is the raw message text.</summary>
public sealed record InboundEvent(long Sequence, string EventType, string CompanyId, string ConsumerType, string Body);

public static class Events
{
    public const string Job = "process_event";
    public const string Type = "event_consumer";
    public const string Queue = "events";
    public const int MaxAttempts = 3;
    /// <summary>A tenant whose rows are gone: every attempt fails, so its events end in the dead-letter queue after 3 attempts.</summary>
    public const string DeletedCompany = "company-deleted";
    public static readonly string[] Types = ["message", "chat", "contact", "receipt"];
    public static readonly string[] Companies = ["company-a", "company-b", "company-c"];

    /// <summary>
    /// The n-th event the demo publishes. Poison is on a fixed cycle rather than random, so a newcomer sees the
    /// dead-letter queue fill within the first half minute: 1 in 20 is unparseable, 1 in 20 belongs to a deleted tenant.
    /// </summary>
    public static InboundEvent Make(long n)
    {
        var type = Types[n % Types.Length];
        var consumer = n % 5 == 0 ? "historical" : "realtime";
        return (n % 20) switch
        {
            7 => new InboundEvent(n, type, Companies[n % Companies.Length], consumer, $$"""{"event":"{{type}}","chatId":"62811{{n}}@s.whatsa"""),
            15 => new InboundEvent(n, type, DeletedCompany, consumer, $$"""{"event":"{{type}}","chatId":"62812{{n}}@s.whatsapp.net"}"""),
            _ => new InboundEvent(n, type, Companies[n % Companies.Length], consumer, $$"""{"event":"{{type}}","chatId":"62813{{n}}@s.whatsapp.net"}"""),
        };
    }

    public static string CreatedBy(InboundEvent e) => e.ConsumerType == "historical" ? "NATS-HISTORICAL-CONSUMER" : "NATS-REALTIME-CONSUMER";
}

/// <summary>
/// Seed 004's consumer: an unparseable body fails at once with a non-retryable code (422); a database error is an
/// ordinary exception (500, retryable) that is retried with backoff and dead-lettered after <see cref="Events.MaxAttempts"/>.
/// </summary>
public sealed class EventConsumerHandler : IJobHandler<InboundEvent>
{
    public async Task<JobResult> HandleAsync(InboundEvent e, JobContext context, CancellationToken ct)
    {
        string chatId;
        try
        {
            using var body = JsonDocument.Parse(e.Body);
            chatId = body.RootElement.GetProperty("chatId").GetString() ?? "";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new JobFailedException(DemoStatusCodes.UnparseableEvent, $"Event {e.Sequence} ({e.EventType}) could not be parsed: {ex.Message}", ex);
        }

        await Task.Delay(Random.Shared.Next(15, 80), ct);
        if (e.CompanyId == Events.DeletedCompany)
        {
            throw new InvalidOperationException($"database: insert into chats violates foreign key: company '{e.CompanyId}' does not exist (simulated)");
        }
        // A transient failure that the first retry fixes (seed 004's nack_retryable).
        if (context.Attempt == 1 && Random.Shared.NextDouble() < 0.05)
        {
            throw new TimeoutException("database: statement timeout while upserting the chat (simulated)");
        }
        return JobResult.Success(new { e.EventType, e.CompanyId, chatId });
    }
}
