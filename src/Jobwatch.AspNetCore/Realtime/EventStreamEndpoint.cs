using System.Buffers;
using System.Globalization;
using System.Text;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Contracts.Events;
using Jobwatch.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// <c>GET /api/v1/events?job=…&amp;queue=…</c>: the hub's events as Server-Sent Events, for curl and any language. No filter
/// means every job. Each event has an id; a client that reconnects with <c>Last-Event-ID</c> gets what it missed from the
/// replay window, or a <c>reset</c> event followed by the current state of the jobs it asked for.
/// </summary>
internal static class EventStreamEndpoint
{
    private const int MaxQueueNameLength = 200;
    private const int MaxEventsPerWrite = 256;
    private static readonly byte[] KeepAlive = ": keepalive\n\n"u8.ToArray();

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(RealtimePaths.EventStream, StreamAsync)
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("StreamJobEvents")
            .WithSummary("Live job events as Server-Sent Events (see docs/realtime.md).")
            .Produces(HttpStatus.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(HttpStatus.Status400BadRequest)
            .ProducesProblem(HttpStatus.Status404NotFound);

    private static async Task<IResult> StreamAsync(
        HttpContext http,
        [FromQuery(Name = "job")] string[]? job,
        [FromQuery(Name = "queue")] string[]? queue,
        JobEventFeed feed,
        IJobMonitor monitor,
        TimeProvider time,
        IOptions<JobwatchRealtimeOptions> options)
    {
        var o = options.Value;
        var ct = http.RequestAborted;
        if (ParseJobs(job, out var jobs) is { } badJob) return badJob;
        if (ParseQueues(queue, out var queues) is { } badQueue) return badQueue;
        if (jobs.Count + queues.Count > o.MaxSubscriptionsPerConnection)
        {
            return ApiProblems.BadRequest($"Ask for at most {o.MaxSubscriptionsPerConnection} jobs and queues in one stream (Jobwatch:Api:Realtime:MaxSubscriptionsPerConnection), or for a queue, or for everything (no filter).");
        }
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : http.Request.Query["lastEventId"].ToString();

        var outbox = new EventOutbox(SubscriptionSet.Of(jobs, queues), o.ClientBufferSize);
        var client = new FeedClient(http.TraceIdentifier, "sse", outbox);
        var (head, reset) = feed.Attach(client, lastEventId.Length > 0 ? lastEventId : null, o.ClientBufferSize);
        try
        {
            var shaper = new ClientEventShaper(time);
            var batch = new List<OutgoingMessage>();
            if (reset is not null)
            {
                batch.Add(new OutgoingMessage(JobEventNames.StreamReset, new StreamResetPayload(reset), head));
            }
            if (lastEventId.Length == 0 || reset is not null)
            {
                foreach (var id in jobs)
                {
                    if (await monitor.GetJobAsync(id, ct) is not { } detail)
                    {
                        return ApiProblems.NotFound("The job", $"Job {id} does not exist (it was never created, or it was deleted). Ask for the id returned when the job was enqueued.");
                    }
                    shaper.ShapeSnapshot(detail, head, batch);
                }
            }

            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await http.Response.StartAsync(ct);
            await WriteAsync(http, feed, batch, ct);

            while (!ct.IsCancellationRequested)
            {
                batch.Clear();
                var read = 0;
                while (read < MaxEventsPerWrite && outbox.TryRead(out var item))
                {
                    read++;
                    if (item.Event is { } e)
                    {
                        shaper.Shape(e, batch);
                    }
                }
                if (batch.Count > 0)
                {
                    await WriteAsync(http, feed, batch, ct);
                    continue;
                }
                if (read > 0)
                {
                    continue;
                }
                if (outbox.Overflowed)
                {
                    // Ending the response is the signal: EventSource reconnects with the last id it got and resumes from the window.
                    feed.CountTooSlow(client);
                    break;
                }
                try
                {
                    await outbox.WaitAsync().WaitAsync(o.EventStreamKeepAlive, time, ct);
                }
                catch (TimeoutException)
                {
                    await http.Response.BodyWriter.WriteAsync(KeepAlive, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            feed.Detach(client);
        }
        return Results.Empty;
    }

    private static async Task WriteAsync(HttpContext http, JobEventFeed feed, List<OutgoingMessage> batch, CancellationToken ct)
    {
        var body = http.Response.BodyWriter;
        foreach (var m in batch)
        {
            body.Write(Encoding.UTF8.GetBytes($"id: {feed.FormatId(m.Seq)}\nevent: {m.Name}\ndata: "));
            body.Write(m.Serialized.Utf8);
            body.Write("\n\n"u8);
        }
        await body.FlushAsync(ct);
    }

    private static IResult? ParseJobs(string[]? values, out List<long> jobs)
    {
        jobs = [];
        foreach (var part in Split(values))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return ApiProblems.InvalidParameter("job", $"'{Shorten(part)}' is not a job id. Give positive whole numbers: ?job=42, repeated or comma-separated for several.");
            }
            jobs.Add(id);
        }
        return null;
    }

    private static IResult? ParseQueues(string[]? values, out List<string> queues)
    {
        queues = [];
        foreach (var part in Split(values))
        {
            if (part.Length > MaxQueueNameLength)
            {
                return ApiProblems.InvalidParameter("queue", $"Queue names are at most {MaxQueueNameLength} characters ('{Shorten(part)}' is longer).");
            }
            queues.Add(part);
        }
        return null;
    }

    private static IEnumerable<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal);

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
