namespace Jobwatch.Audit;

/// <summary>The audited actions. An action is a lower-case dotted name: resource, then verb.</summary>
public static class AuditActions
{
    public const string JobEnqueue = "job.enqueue";
    public const string JobRetry = "job.retry";
    public const string JobCancel = "job.cancel";
    public const string JobDelete = "job.delete";
    public const string DeadLetterRetry = "dead_letter.retry";
    public const string QueuePause = "queue.pause";
    public const string QueueResume = "queue.resume";
    public const string RunStart = "run.start";
}

/// <summary>How an audited action ended.</summary>
public static class AuditOutcomes
{
    /// <summary>Done (for a bulk action: ran, whatever the count).</summary>
    public const string Ok = "ok";
    /// <summary>The target did not exist.</summary>
    public const string NotFound = "not_found";
    /// <summary>The target exists but its state does not allow the action (e.g. retrying a completed job).</summary>
    public const string NotAllowed = "not_allowed";
}

/// <summary>Well-known actors.</summary>
public static class AuditActors
{
    /// <summary>The application itself: an action taken through <c>IJobClient</c> without a <c>by</c>.</summary>
    public const string App = "app";
}

/// <summary>How targets are written, so they can be filtered on exactly.</summary>
public static class AuditTargets
{
    public static string Job(long id) => "job:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Queue(string name) => "queue:" + name;
}
