using System.Globalization;
using System.Text.Json;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Http;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Audit;
using Jobwatch.Client;
using Jobwatch.Contracts.Jobs;
using Jobwatch.Handlers;
using Microsoft.AspNetCore.Http;

namespace Jobwatch.AspNetCore.Endpoints.Jobs;

/// <summary>Enqueue through the API: every field checked before anything is written, the write all or nothing, then audited.</summary>
internal static class JobWriteEndpoints
{
    public static async Task<IResult> EnqueueAsync(HttpContext http, IJobClient client, JobDefinitionRegistry definitions, IAuditTrail audit, CancellationToken ct)
    {
        var body = await ApiBody.ReadAsync<EnqueueJobRequest>(http);
        if (!body.Ok)
        {
            return body.Problem!;
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var request = JobEnqueue.Translate(body.Value!, "", definitions, http.User.JobwatchActor(), errors);
        if (request is null)
        {
            return Invalid(errors);
        }
        var (jobs, problem) = await SaveAsync(http, [request], batch: false, client, definitions, audit, ct);
        if (problem is not null)
        {
            return problem;
        }
        http.Response.Headers.Location = jobs![0].Url;
        return TypedResults.Json(jobs[0], ApiJson.ResponseOptions, statusCode: HttpStatus.Status201Created);
    }

    public static async Task<IResult> EnqueueBatchAsync(HttpContext http, IJobClient client, JobDefinitionRegistry definitions, IAuditTrail audit, CancellationToken ct)
    {
        var body = await ApiBody.ReadAsync<EnqueueBatchRequest>(http);
        if (!body.Ok)
        {
            return body.Problem!;
        }
        var items = body.Value!.Jobs;
        if (items is null || items.Count == 0)
        {
            return ApiProblems.BadRequest("The batch has no jobs: send {\"jobs\": [{\"name\": \"…\", \"args\": {…}}, …]}.",
                new Dictionary<string, string[]> { ["jobs"] = ["At least one job is required."] });
        }
        if (items.Count > JobEnqueue.MaxBatch)
        {
            return ApiProblems.BadRequest($"The batch has {items.Count:N0} jobs; at most {JobEnqueue.MaxBatch:N0} are accepted per request. Split it into several batches.",
                new Dictionary<string, string[]> { ["jobs"] = [$"At most {JobEnqueue.MaxBatch} jobs per batch (got {items.Count})."] });
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var actor = http.User.JobwatchActor();
        var requests = new List<JobEnqueueRequest>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                errors[$"jobs[{i}]"] = ["A job must be an object with at least a name, not null."];
            }
            else if (JobEnqueue.Translate(items[i], $"jobs[{i}].", definitions, actor, errors) is { } request)
            {
                requests.Add(request);
            }
        }
        if (errors.Count > 0)
        {
            return Invalid(errors, batch: true);
        }
        var (jobs, problem) = await SaveAsync(http, requests, batch: true, client, definitions, audit, ct);
        return problem ?? TypedResults.Json(new EnqueueBatchResponse(jobs!.Count, jobs), ApiJson.ResponseOptions, statusCode: HttpStatus.Status201Created);
    }

    private static async Task<(IReadOnlyList<EnqueuedJobDto>? Jobs, IResult? Problem)> SaveAsync(
        HttpContext http, IReadOnlyList<JobEnqueueRequest> requests, bool batch, IJobClient client, JobDefinitionRegistry definitions, IAuditTrail audit, CancellationToken ct)
    {
        IReadOnlyList<long> ids;
        try
        {
            ids = await client.EnqueueManyAsync(requests, ct);
        }
        catch (ArgumentException ex)
        {
            var field = JobEnqueue.FieldOf(ex, requests, definitions, batch);
            var message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
            return (null, ApiProblems.BadRequest($"Nothing was enqueued. {field}: {message}", new Dictionary<string, string[]> { [field] = [message] }));
        }
        catch (UnknownJobNameException ex)
        {
            return (null, ApiProblems.BadRequest($"Nothing was enqueued. {ex.Message}", new Dictionary<string, string[]> { ["name"] = [ex.Message] }));
        }
        var jobsUrl = JobsUrl(http.Request, batch);
        var jobs = new EnqueuedJobDto[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i].ToString(CultureInfo.InvariantCulture);
            jobs[i] = new EnqueuedJobDto(ids[i], requests[i].Name, JobEnqueue.QueueOf(requests[i], definitions), $"{jobsUrl}/{id}");
        }
        // The jobs exist now: the record is written even if the caller has gone.
        await audit.RecordAsync(batch ? BatchRecord(http, jobs) : SingleRecord(http, jobs[0], requests[0]), CancellationToken.None);
        return (jobs, null);
    }

    private static AuditRecord SingleRecord(HttpContext http, EnqueuedJobDto job, JobEnqueueRequest request) => new()
    {
        Actor = http.User.JobwatchActor(),
        Action = AuditActions.JobEnqueue,
        Target = AuditTargets.Job(job.Id),
        Details = JsonSerializer.Serialize(new { name = job.Name, queue = job.Queue, created_by = request.Options?.CreatedBy }),
    };

    /// <summary>One entry per batch (not per job): it lists every id, so a batch of a thousand costs one audit write.</summary>
    private static AuditRecord BatchRecord(HttpContext http, IReadOnlyList<EnqueuedJobDto> jobs) => new()
    {
        Actor = http.User.JobwatchActor(),
        Action = AuditActions.JobEnqueue,
        Details = JsonSerializer.Serialize(new
        {
            count = jobs.Count,
            names = jobs.Select(j => j.Name).Distinct(StringComparer.Ordinal).ToArray(),
            queues = jobs.Select(j => j.Queue).Distinct(StringComparer.Ordinal).ToArray(),
            ids = jobs.Select(j => j.Id).ToArray(),
        }),
    };

    /// <summary>Where the jobs resource is mapped in this app (MapJobwatch may sit under a prefix).</summary>
    private static string JobsUrl(HttpRequest request, bool batch)
    {
        var path = (request.PathBase + request.Path).Value!.TrimEnd('/');
        return batch && path.EndsWith("/batch", StringComparison.Ordinal) ? path[..^"/batch".Length] : path;
    }

    private static IResult Invalid(Dictionary<string, string[]> errors, bool batch = false)
    {
        const int shown = 3;
        var lines = errors.Take(shown).Select(e => $"{e.Key}: {e.Value[0]}");
        var more = errors.Count > shown ? $" … and {errors.Count - shown} more (see errors)." : "";
        var what = batch ? "Nothing was enqueued; fix these jobs and resend the whole batch." : "Nothing was enqueued.";
        return ApiProblems.BadRequest($"{what} {string.Join(" ", lines)}{more}", errors);
    }
}
