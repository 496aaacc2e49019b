using Jobwatch.Contracts.Events;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jobwatch.Client;

/// <summary>How <see cref="JobwatchHubClient"/> connects.</summary>
public sealed record JobwatchHubClientOptions
{
    /// <summary>A bearer token with the viewer (or higher) role; null when the server has none. Sent as a header, never in the URL.</summary>
    public string? Token { get; init; }

    /// <summary>Transports to try, best first. Default: WebSockets, then Server-Sent Events, then long polling.</summary>
    public HttpTransportType Transports { get; init; } = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;

    /// <summary>Reconnect after a dropped connection and subscribe again to everything subscribed before (each job's current state is sent anew).</summary>
    public bool AutomaticReconnect { get; init; } = true;

    /// <summary>Further connection settings (handler, headers, WebSocket options).</summary>
    public Action<HttpConnectionOptions>? ConfigureConnection { get; init; }
}

/// <summary>
/// Typed client for the job-progress hub (<c>/job-progress</c>): subscribe to jobs, queues or everything, and handle the
/// events by their payload types. Register handlers before <see cref="StartAsync"/> so no event is missed.
/// <code>
/// await using var hub = new JobwatchHubClient(new Uri("http://127.0.0.1:8080"), new() { Token = "…" });
/// hub.OnJobProgress(p => Console.WriteLine($"{p.JobId}: {p.Percent}%"));
/// hub.OnJobCompleted(c => Console.WriteLine($"{c.JobId} done in {c.ProcessingTime} ms"));
/// await hub.StartAsync();
/// await hub.SubscribeToJobAsync(42);   // sends job 42's current state at once, then its changes
/// </code>
/// </summary>
public sealed class JobwatchHubClient : IAsyncDisposable
{
    private static readonly HubSubscriptions None = new(false, [], []);
    private readonly object _gate = new();
    private HubSubscriptions _subscriptions = None;
    // What the caller asked for, changed only by the caller's own (un)subscribe calls once the server accepted them.
    // Restoring after a reconnect reads it but never narrows it to what the new connection has so far, so a drop in the
    // middle of restoring (or a caller's call meanwhile) cannot make the next restore forget anything.
    private HubSubscriptions _wanted = None;

    public JobwatchHubClient(Uri serverAddress, JobwatchHubClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serverAddress);
        options ??= new JobwatchHubClientOptions();
        var hubUrl = new Uri(new Uri(serverAddress.ToString().TrimEnd('/') + "/"), RealtimePaths.Hub.TrimStart('/'));
        var builder = new HubConnectionBuilder().WithUrl(hubUrl, options.Transports, o =>
        {
            if (options.Token is { } token)
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            }
            options.ConfigureConnection?.Invoke(o);
        });
        if (options.AutomaticReconnect)
        {
            builder.WithAutomaticReconnect();
        }
        Connection = builder.Build();
        Connection.Reconnected += _ => ResubscribeAsync();
    }

    /// <summary>The underlying SignalR connection (state, events such as Closed and Reconnecting, timeouts).</summary>
    public HubConnection Connection { get; }

    /// <summary>What this client is subscribed to, as the server last confirmed.</summary>
    public HubSubscriptions Subscriptions { get { lock (_gate) { return _subscriptions; } } }

    public Task StartAsync(CancellationToken ct = default) => Connection.StartAsync(ct);

    public Task StopAsync(CancellationToken ct = default) => Connection.StopAsync(ct);

    /// <summary>Subscribes to one job: its current state is sent at once (the final state if it has finished), then every change.</summary>
    /// <exception cref="HubException">The job does not exist, or the connection has too many subscriptions.</exception>
    public Task<HubSubscriptions> SubscribeToJobAsync(long jobId, CancellationToken ct = default) =>
        InvokeAsync(JobProgressHubMethods.SubscribeToJob, new JobSubscriptionRequest(jobId), w => WithJob(w, jobId, add: true), ct);

    public Task<HubSubscriptions> UnsubscribeFromJobAsync(long jobId, CancellationToken ct = default) =>
        InvokeAsync(JobProgressHubMethods.UnsubscribeFromJob, new JobSubscriptionRequest(jobId), w => WithJob(w, jobId, add: false), ct);

    /// <summary>Subscribes to every job of a queue (existing or future) from now on.</summary>
    public Task<HubSubscriptions> SubscribeToQueueAsync(string queue, CancellationToken ct = default) =>
        InvokeAsync(JobProgressHubMethods.SubscribeToQueue, new QueueSubscriptionRequest(queue), w => WithQueue(w, queue, add: true), ct);

    public Task<HubSubscriptions> UnsubscribeFromQueueAsync(string queue, CancellationToken ct = default) =>
        InvokeAsync(JobProgressHubMethods.UnsubscribeFromQueue, new QueueSubscriptionRequest(queue), w => WithQueue(w, queue, add: false), ct);

    /// <summary>Subscribes to every event of every job.</summary>
    public Task<HubSubscriptions> SubscribeToAllAsync(CancellationToken ct = default) =>
        InvokeAsync(JobProgressHubMethods.SubscribeToAll, null, w => w with { All = true }, ct);

    /// <summary>Drops every subscription (all, jobs and queues).</summary>
    public Task<HubSubscriptions> UnsubscribeFromAllAsync(CancellationToken ct = default) =>
        InvokeAsync(JobProgressHubMethods.UnsubscribeFromAll, null, _ => None, ct);

    public Task<HubSubscriptions> GetSubscriptionsAsync(CancellationToken ct = default) =>
        InvokeAsync(JobProgressHubMethods.GetSubscriptions, null, remember: null, ct);

    public IDisposable OnJobCreated(Action<JobEventPayload> handler) => Connection.On(JobEventNames.JobCreated, handler);
    public IDisposable OnJobStarted(Action<JobEventPayload> handler) => Connection.On(JobEventNames.JobStarted, handler);
    public IDisposable OnJobProgress(Action<JobProgressPayload> handler) => Connection.On(JobEventNames.JobProgress, handler);
    public IDisposable OnCustomProgress(Action<CustomProgressPayload> handler) => Connection.On(JobEventNames.CustomProgress, handler);
    public IDisposable OnJobCompleted(Action<JobCompletedPayload> handler) => Connection.On(JobEventNames.JobCompleted, handler);
    public IDisposable OnJobFailed(Action<JobFailedPayload> handler) => Connection.On(JobEventNames.JobFailed, handler);
    public IDisposable OnJobRetrying(Action<JobRetryingPayload> handler) => Connection.On(JobEventNames.JobRetrying, handler);
    public IDisposable OnJobStalled(Action<JobStalledPayload> handler) => Connection.On(JobEventNames.JobStalled, handler);
    public IDisposable OnJobDeadLettered(Action<JobDeadLetteredPayload> handler) => Connection.On(JobEventNames.JobDeadLettered, handler);
    public IDisposable OnJobCancelled(Action<JobEventPayload> handler) => Connection.On(JobEventNames.JobCancelled, handler);
    public IDisposable OnJobRetried(Action<JobEventPayload> handler) => Connection.On(JobEventNames.JobRetried, handler);
    public IDisposable OnJobDeleted(Action<JobEventPayload> handler) => Connection.On(JobEventNames.JobDeleted, handler);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    /// <param name="remember">How the call changes what the caller wants restored after a reconnect; null for calls that change nothing.</param>
    private async Task<HubSubscriptions> InvokeAsync(string method, object? argument, Func<HubSubscriptions, HubSubscriptions>? remember, CancellationToken ct)
    {
        var result = argument is null
            ? await Connection.InvokeAsync<HubSubscriptions>(method, ct).ConfigureAwait(false)
            : await Connection.InvokeAsync<HubSubscriptions>(method, argument, ct).ConfigureAwait(false);
        lock (_gate)
        {
            _subscriptions = result;
            if (remember is not null)
            {
                _wanted = remember(_wanted);
            }
        }
        return result;
    }

    /// <summary>
    /// A new connection starts with no subscriptions on the server: ask again for what the caller wanted. One refused
    /// item does not stop the rest; if the connection drops again meanwhile, the next reconnect starts over.
    /// </summary>
    private async Task ResubscribeAsync()
    {
        HubSubscriptions wanted;
        lock (_gate)
        {
            wanted = _wanted;
            _subscriptions = None;
        }
        try
        {
            if (wanted.All)
            {
                await RestoreAsync(JobProgressHubMethods.SubscribeToAll, null).ConfigureAwait(false);
            }
            foreach (var queue in wanted.Queues)
            {
                await RestoreAsync(JobProgressHubMethods.SubscribeToQueue, new QueueSubscriptionRequest(queue)).ConfigureAwait(false);
            }
            foreach (var job in wanted.JobIds)
            {
                // A job deleted while disconnected is refused and skipped. It stays wanted (as it stays subscribed on a
                // connection that never dropped): a refusal from a connection that is closing must not forget it.
                await RestoreAsync(JobProgressHubMethods.SubscribeToJob, new JobSubscriptionRequest(job)).ConfigureAwait(false);
            }
        }
        catch (Exception) when (Connection.State != HubConnectionState.Connected)
        {
            // Dropped again while restoring; the next Reconnected restores everything from _wanted.
        }
    }

    /// <summary>One subscription on the new connection; a refusal (the server says why in a <see cref="HubException"/>) skips just that one.</summary>
    private async Task RestoreAsync(string method, object? argument)
    {
        try
        {
            await InvokeAsync(method, argument, remember: null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (HubException)
        {
        }
    }

    private static HubSubscriptions WithJob(HubSubscriptions s, long jobId, bool add) =>
        s with { JobIds = add ? [.. s.JobIds.Append(jobId).Distinct().Order()] : [.. s.JobIds.Where(id => id != jobId)] };

    private static HubSubscriptions WithQueue(HubSubscriptions s, string queue, bool add) =>
        s with
        {
            Queues = add
                ? [.. s.Queues.Append(queue).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
                : [.. s.Queues.Where(q => !string.Equals(q, queue, StringComparison.Ordinal))],
        };
}
