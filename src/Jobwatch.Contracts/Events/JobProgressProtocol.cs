namespace Jobwatch.Contracts.Events;

/// <summary>Where the live surfaces are mapped (relative to the app's root).</summary>
public static class RealtimePaths
{
    /// <summary>The SignalR hub (seed 003's <c>io('/job-progress')</c>).</summary>
    public const string Hub = "/job-progress";

    /// <summary>The Server-Sent Events stream: <c>GET /api/v1/events?job=…&amp;queue=…</c>.</summary>
    public const string EventStream = "/api/v1/events";
}

/// <summary>The hub methods a client invokes, under seed 003's names (plus the "all" pair).</summary>
public static class JobProgressHubMethods
{
    /// <summary>Argument <see cref="JobSubscriptionRequest"/> (<c>{ "jobId": 42 }</c>); the job's current state follows at once.</summary>
    public const string SubscribeToJob = "subscribe-to-job";
    /// <summary>Argument <see cref="QueueSubscriptionRequest"/> (<c>{ "queueName": "emails" }</c>).</summary>
    public const string SubscribeToQueue = "subscribe-to-queue";
    public const string UnsubscribeFromJob = "unsubscribe-from-job";
    public const string UnsubscribeFromQueue = "unsubscribe-from-queue";
    /// <summary>No argument; answers <see cref="HubSubscriptions"/>.</summary>
    public const string GetSubscriptions = "get-subscriptions";
    /// <summary>Every event of every job (a dashboard's overview). No argument.</summary>
    public const string SubscribeToAll = "subscribe-to-all";
    /// <summary>Drops every subscription (all, jobs and queues). No argument.</summary>
    public const string UnsubscribeFromAll = "unsubscribe-from-all";
}

/// <summary>
/// The events the server pushes, as hub method names and as SSE <c>event:</c> names. Seed 003's four
/// (<see cref="JobProgress"/>, <see cref="JobCompleted"/>, <see cref="JobFailed"/>, <see cref="CustomProgress"/>) keep their names.
/// </summary>
public static class JobEventNames
{
    /// <summary>A job was enqueued or an external run registered (<see cref="JobEventPayload"/>).</summary>
    public const string JobCreated = "job-created";
    /// <summary>An attempt started on a worker, or an external run started (<see cref="JobEventPayload"/>).</summary>
    public const string JobStarted = "job-started";
    /// <summary>Counters or percent changed (<see cref="JobProgressPayload"/>); coalesced per job, the latest value wins.</summary>
    public const string JobProgress = "job-progress";
    /// <summary>The handler reported a custom progress object (<see cref="CustomProgressPayload"/>).</summary>
    public const string CustomProgress = "custom-progress";
    /// <summary>Finished with a success or skip code (<see cref="JobCompletedPayload"/>, with the processing time).</summary>
    public const string JobCompleted = "job-completed";
    /// <summary>An attempt failed (<see cref="JobFailedPayload"/>); <c>willRetry</c> says whether job-retrying or job-dead-lettered follows.</summary>
    public const string JobFailed = "job-failed";
    /// <summary>The failed attempt will run again at <c>retryAt</c> (<see cref="JobRetryingPayload"/>).</summary>
    public const string JobRetrying = "job-retrying";
    /// <summary>The job's lease expired (its worker died) or an external run went silent (<see cref="JobStalledPayload"/>).</summary>
    public const string JobStalled = "job-stalled";
    /// <summary>No attempts left: the job is in the dead-letter queue (<see cref="JobDeadLetteredPayload"/>).</summary>
    public const string JobDeadLettered = "job-dead-lettered";
    /// <summary>An operator cancelled the job (<see cref="JobEventPayload"/>).</summary>
    public const string JobCancelled = "job-cancelled";
    /// <summary>An operator sent a failed or cancelled job back to waiting (<see cref="JobEventPayload"/>).</summary>
    public const string JobRetried = "job-retried";
    /// <summary>An operator deleted the job (<see cref="JobEventPayload"/>).</summary>
    public const string JobDeleted = "job-deleted";

    /// <summary>
    /// SSE only: the stream could not resume from the client's <c>Last-Event-ID</c> (too old, or another server
    /// process), so events may have been missed; current state of the requested jobs follows (<see cref="StreamResetPayload"/>).
    /// </summary>
    public const string StreamReset = "reset";
}
