using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Http;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Client;
using Jobwatch.Contracts.Queues;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary>
/// <c>/api/v1/queues</c>: every queue with its jobs per state, paused flag, oldest wait and (for queues this server
/// works) concurrency and busy workers; pause and resume. A queue exists once it has jobs, workers here, or was paused.
/// </summary>
internal static class QueuesApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("", ListAsync)
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("ListQueues")
            .WithSummary("Every queue with its counts per state, paused flag, oldest waiting job and workers.")
            .Produces<QueueListResponse>();

        group.MapGet("/{name}", GetAsync)
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetQueue")
            .WithSummary("One queue.")
            .Produces<QueueDto>()
            .ProducesProblem(HttpStatus.Status404NotFound);

        group.MapPost("/{name}/pause", (string name, HttpContext http, IJobClient client, IJobMonitor monitor, TimeProvider time, CancellationToken ct) =>
                SetPausedAsync(name, true, http, client, monitor, time, ct))
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("PauseQueue")
            .WithSummary("Stop workers on every node from taking this queue's jobs; running jobs finish. A queue may be paused before it has jobs.")
            .Produces<QueueDto>()
            .ProducesProblem(HttpStatus.Status400BadRequest);

        group.MapPost("/{name}/resume", (string name, HttpContext http, IJobClient client, IJobMonitor monitor, TimeProvider time, CancellationToken ct) =>
                SetPausedAsync(name, false, http, client, monitor, time, ct))
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("ResumeQueue")
            .WithSummary("Let workers take this queue's jobs again.")
            .Produces<QueueDto>()
            .ProducesProblem(HttpStatus.Status400BadRequest);
    }

    private static async Task<IResult> ListAsync(IJobMonitor monitor, TimeProvider time, CancellationToken ct)
    {
        var queues = await monitor.GetQueuesAsync(ct);
        var now = time.GetUtcNow();
        return TypedResults.Json(new QueueListResponse(queues.Select(q => ToDto(q, now)).ToArray()), ApiJson.ResponseOptions);
    }

    private static async Task<IResult> GetAsync(string name, IJobMonitor monitor, TimeProvider time, CancellationToken ct)
    {
        var queues = await monitor.GetQueuesAsync(ct);
        var queue = queues.FirstOrDefault(q => string.Equals(q.Queue, name, StringComparison.Ordinal));
        if (queue is null)
        {
            var known = queues.Count == 0 ? "there are none yet" : "known queues: " + string.Join(", ", queues.Select(q => q.Queue));
            return ApiProblems.NotFound("The queue", $"No queue is named '{name}' (names are case-sensitive); {known}. A queue appears once it has jobs or workers, or is paused.");
        }
        return TypedResults.Json(ToDto(queue, time.GetUtcNow()), ApiJson.ResponseOptions);
    }

    private static async Task<IResult> SetPausedAsync(string name, bool paused, HttpContext http, IJobClient client, IJobMonitor monitor, TimeProvider time, CancellationToken ct)
    {
        try
        {
            if (paused)
            {
                await client.PauseQueueAsync(name, http.User.JobwatchActor(), ct);
            }
            else
            {
                await client.ResumeQueueAsync(name, http.User.JobwatchActor(), ct);
            }
        }
        catch (ArgumentException ex) when (ex.ParamName == "queue")
        {
            return ApiProblems.InvalidParameter("name", ex.Message.Split(" (Parameter", 2)[0]);
        }
        var queues = await monitor.GetQueuesAsync(ct);
        var queue = queues.FirstOrDefault(q => string.Equals(q.Queue, name, StringComparison.Ordinal))
            ?? new QueueStats(new QueueCounts { Queue = name, Paused = paused }, null, null);
        return TypedResults.Json(ToDto(queue, time.GetUtcNow()), ApiJson.ResponseOptions);
    }

    private static QueueDto ToDto(QueueStats q, DateTimeOffset now)
    {
        var c = q.Counts;
        return new QueueDto
        {
            Name = q.Queue,
            Paused = c.Paused,
            Counts = new QueueCountsDto(c.Waiting, c.Delayed, c.Active, c.Completed, c.Failed, c.Cancelled),
            OldestWaitingSince = c.OldestWaitingSince,
            OldestWaitingSeconds = c.OldestWaitingSince is { } since ? Math.Round(Math.Max(0, (now - since).TotalSeconds), 3) : null,
            LastFinishedAt = c.LastFinishedAt,
            Concurrency = q.Concurrency,
            Busy = q.Busy,
        };
    }
}
