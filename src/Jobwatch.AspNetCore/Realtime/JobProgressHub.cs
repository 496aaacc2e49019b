using System.Globalization;
using System.Text.Json;
using Jobwatch.Contracts.Events;
using Jobwatch.Monitoring;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// Seed 003's job-progress gateway at <c>/job-progress</c>. Clients subscribe to jobs, queues or everything and receive
/// the events in <see cref="JobEventNames"/>; subscribing to a job first sends its current state. Requires a viewer
/// (or higher) token; see docs/realtime.md.
/// </summary>
internal sealed class JobProgressHub : Hub
{
    private const int MaxQueueNameLength = 200;
    private readonly HubClientRegistry _clients;
    private readonly IJobMonitor _monitor;
    private readonly JobwatchRealtimeOptions _options;

    public JobProgressHub(HubClientRegistry clients, IJobMonitor monitor, IOptions<JobwatchRealtimeOptions> options)
    {
        _clients = clients;
        _monitor = monitor;
        _options = options.Value;
    }

    public override Task OnConnectedAsync()
    {
        _clients.Open(Context);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception) => _clients.CloseAsync(Context);

    /// <summary><c>{ "jobId": 42 }</c>: the job's events from now on, starting with its current state (final state if it has finished).</summary>
    [HubMethodName(JobProgressHubMethods.SubscribeToJob)]
    public async Task<HubSubscriptions> SubscribeToJob(JsonElement request)
    {
        var jobId = ReadJobId(request, JobProgressHubMethods.SubscribeToJob);
        var connection = _clients.Get(Context);
        var before = connection.Outbox.Subscriptions;
        if (!before.HasJob(jobId) && before.Count >= _options.MaxSubscriptionsPerConnection)
        {
            throw TooMany();
        }
        var slot = connection.Outbox.SubscribeJob(jobId);
        JobDetail? detail = null;
        try
        {
            detail = await _monitor.GetJobAsync(jobId, Context.ConnectionAborted);
        }
        finally
        {
            slot.Fill(detail);
            if (detail is null && !before.HasJob(jobId))
            {
                await connection.ChangeAsync(() => connection.Outbox.Change(s => s.WithJob(jobId, add: false)));
            }
        }
        return detail is null
            ? throw new HubException($"Job {jobId} does not exist (it was never created, or it was deleted). Subscribe with the id returned when the job was enqueued.")
            : connection.Outbox.Subscriptions.ToContract();
    }

    /// <summary><c>{ "queueName": "emails" }</c>: events of every job in the queue from now on.</summary>
    [HubMethodName(JobProgressHubMethods.SubscribeToQueue)]
    public HubSubscriptions SubscribeToQueue(JsonElement request)
    {
        var queue = ReadQueue(request, JobProgressHubMethods.SubscribeToQueue);
        var connection = _clients.Get(Context);
        if (!connection.Outbox.Subscriptions.HasQueue(queue) && connection.Outbox.Subscriptions.Count >= _options.MaxSubscriptionsPerConnection)
        {
            throw TooMany();
        }
        connection.Outbox.Change(s => s.WithQueue(queue, add: true));
        return connection.Outbox.Subscriptions.ToContract();
    }

    [HubMethodName(JobProgressHubMethods.UnsubscribeFromJob)]
    public async Task<HubSubscriptions> UnsubscribeFromJob(JsonElement request)
    {
        var jobId = ReadJobId(request, JobProgressHubMethods.UnsubscribeFromJob);
        var connection = _clients.Get(Context);
        await connection.ChangeAsync(() => connection.Outbox.Change(s => s.WithJob(jobId, add: false)));
        return connection.Outbox.Subscriptions.ToContract();
    }

    [HubMethodName(JobProgressHubMethods.UnsubscribeFromQueue)]
    public async Task<HubSubscriptions> UnsubscribeFromQueue(JsonElement request)
    {
        var queue = ReadQueue(request, JobProgressHubMethods.UnsubscribeFromQueue);
        var connection = _clients.Get(Context);
        await connection.ChangeAsync(() => connection.Outbox.Change(s => s.WithQueue(queue, add: false)));
        return connection.Outbox.Subscriptions.ToContract();
    }

    /// <summary>Every event of every job (a dashboard's overview).</summary>
    [HubMethodName(JobProgressHubMethods.SubscribeToAll)]
    public HubSubscriptions SubscribeToAll()
    {
        var connection = _clients.Get(Context);
        connection.Outbox.Change(s => s.WithAll(true));
        return connection.Outbox.Subscriptions.ToContract();
    }

    /// <summary>Drops every subscription: all, jobs and queues.</summary>
    [HubMethodName(JobProgressHubMethods.UnsubscribeFromAll)]
    public async Task<HubSubscriptions> UnsubscribeFromAll()
    {
        var connection = _clients.Get(Context);
        await connection.ChangeAsync(() => connection.Outbox.Change(_ => SubscriptionSet.None));
        return connection.Outbox.Subscriptions.ToContract();
    }

    [HubMethodName(JobProgressHubMethods.GetSubscriptions)]
    public HubSubscriptions GetSubscriptions() => _clients.Get(Context).Outbox.Subscriptions.ToContract();

    private HubException TooMany() => new(
        $"This connection already has {_options.MaxSubscriptionsPerConnection} job and queue subscriptions (Jobwatch:Api:Realtime:MaxSubscriptionsPerConnection). Unsubscribe from finished jobs, or subscribe to their queue or to all.");

    /// <summary>Accepts seed 003's <c>{ jobId }</c> object, or the bare id; the id may be a number or a string of digits.</summary>
    private static long ReadJobId(JsonElement request, string method)
    {
        var value = request.ValueKind == JsonValueKind.Object && request.TryGetProperty("jobId", out var property) ? property : request;
        long id = 0;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out id),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out id),
            _ => false,
        };
        return ok && id > 0
            ? id
            : throw new HubException($"{method} needs {{ \"jobId\": <id> }} with a job id, a positive whole number (got {Describe(request)}).");
    }

    private static string ReadQueue(JsonElement request, string method)
    {
        var value = request.ValueKind == JsonValueKind.Object && request.TryGetProperty("queueName", out var property) ? property : request;
        var queue = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return !string.IsNullOrWhiteSpace(queue) && queue.Length <= MaxQueueNameLength
            ? queue
            : throw new HubException($"{method} needs {{ \"queueName\": \"<queue>\" }} with a queue name of 1–{MaxQueueNameLength} characters (got {Describe(request)}).");
    }

    private static string Describe(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.Undefined ? "nothing" : value.GetRawText();
        return text.Length <= 80 ? text : text[..80] + "…";
    }
}
