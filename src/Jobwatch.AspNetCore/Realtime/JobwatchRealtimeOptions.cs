using Jobwatch.AspNetCore.Realtime;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore;

/// <summary>Options of the job-progress hub and the event stream; bound from configuration section <c>Jobwatch:Api:Realtime</c>.</summary>
public sealed class JobwatchRealtimeOptions
{
    public const string SectionName = "Jobwatch:Api:Realtime";

    /// <summary>
    /// Browser origins (<c>https://dashboard.example.com</c>) allowed to connect besides the server's own origin, or
    /// <c>*</c> for any. Requests without an <c>Origin</c> header (curl, .NET and other non-browser clients) are always allowed.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Lifecycle events (created, started, completed, failed, …) one client may have waiting to be sent. A client that falls
    /// further behind is disconnected rather than silently losing a terminal event; it reconnects and gets current state.
    /// Progress events do not count: they are coalesced per job (the latest value wins), so a client holds at most one per job.
    /// </summary>
    public int ClientBufferSize { get; set; } = 1_000;

    /// <summary>
    /// How often one job's progress counters are sent to clients: at most one update per job per interval, the latest value
    /// (the newest update held back is sent when the interval is up). Lifecycle events and changed custom-progress
    /// payloads are never held. <see cref="TimeSpan.Zero"/> sends every update. In-process bus subscribers are not paced.
    /// </summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Jobs plus queues one connection may subscribe to individually (memory per client is bounded); beyond that, subscribe to a queue or to all.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 1_000;

    /// <summary>Events kept in memory so an SSE client can resume from <c>Last-Event-ID</c>; 0 turns resuming off.</summary>
    public int ReplayWindowSize { get; set; } = 10_000;

    /// <summary>How long events stay resumable (the window is also capped by <see cref="ReplayWindowSize"/>).</summary>
    public TimeSpan ReplayWindowAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often an idle SSE stream sends a comment line, so proxies do not close it.</summary>
    public TimeSpan EventStreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Fails start-up with messages that name the configuration key to fix.</summary>
internal sealed class JobwatchRealtimeOptionsValidator : IValidateOptions<JobwatchRealtimeOptions>
{
    public ValidateOptionsResult Validate(string? name, JobwatchRealtimeOptions o)
    {
        const string key = JobwatchRealtimeOptions.SectionName;
        var errors = new List<string>();
        for (var i = 0; i < o.AllowedOrigins.Count; i++)
        {
            if (o.AllowedOrigins[i] != "*" && OriginCheck.Normalize(o.AllowedOrigins[i]) is null)
            {
                errors.Add($"{key}:AllowedOrigins:{i} ('{o.AllowedOrigins[i]}') must be '*' or an origin such as https://dashboard.example.com (scheme, host and optional port; no path).");
            }
        }
        if (o.ProgressInterval < TimeSpan.Zero || o.ProgressInterval > TimeSpan.FromSeconds(10))
        {
            errors.Add($"{key}:ProgressInterval must be between 00:00:00 (every update) and 00:00:10 (got {o.ProgressInterval}).");
        }
        if (o.ClientBufferSize < 16)
        {
            errors.Add($"{key}:ClientBufferSize must be at least 16.");
        }
        if (o.MaxSubscriptionsPerConnection < 1)
        {
            errors.Add($"{key}:MaxSubscriptionsPerConnection must be at least 1.");
        }
        if (o.ReplayWindowSize < 0)
        {
            errors.Add($"{key}:ReplayWindowSize must be 0 (no resuming) or more.");
        }
        if (o.ReplayWindowAge <= TimeSpan.Zero)
        {
            errors.Add($"{key}:ReplayWindowAge must be positive (e.g. 00:02:00).");
        }
        if (o.EventStreamKeepAlive < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{key}:EventStreamKeepAlive must be at least 1 second.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
