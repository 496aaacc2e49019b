using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Events;

/// <summary><c>subscribe-to-job</c> / <c>unsubscribe-from-job</c>: <c>{ "jobId": 42 }</c> (a JSON string of digits is accepted too).</summary>
public sealed record JobSubscriptionRequest(
    [property: JsonPropertyName("jobId"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long JobId);

/// <summary><c>subscribe-to-queue</c> / <c>unsubscribe-from-queue</c>: <c>{ "queueName": "emails" }</c>.</summary>
public sealed record QueueSubscriptionRequest(
    [property: JsonPropertyName("queueName")] string QueueName);

/// <summary>What a connection is subscribed to; every subscription method answers with it, as does <c>get-subscriptions</c>.</summary>
public sealed record HubSubscriptions(
    /// <summary>True after <c>subscribe-to-all</c>: every job's events.</summary>
    [property: JsonPropertyName("all")] bool All,
    [property: JsonPropertyName("jobIds")] IReadOnlyList<long> JobIds,
    [property: JsonPropertyName("queues")] IReadOnlyList<string> Queues);
