using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Http;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Client;
using Jobwatch.Contracts.Jobs;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.AspNetCore.Http;

namespace Jobwatch.AspNetCore.Endpoints.Jobs;

/// <summary>Operator actions on jobs. <see cref="IJobClient"/> guards each by state and records it in the audit trail with the caller as actor.</summary>
internal static class JobActionEndpoints
{
    public const int DefaultDeadLetterLimit = 1000;
    public const int MaxDeadLetterLimit = 10_000;

    public static async Task<IResult> RetryAsync(long id, HttpContext http, IJobClient client, IJobMonitor monitor, CancellationToken ct)
    {
        if (id < 1)
        {
            return JobIds.Invalid(id);
        }
        var result = await client.RetryAsync(id, http.User.JobwatchActor(), ct);
        return await AnswerAsync(id, result, monitor, "retried", JobTransition.Retry,
            job => job.IsExternal
                ? $"Job {id} is an external run; only the process that reported it can run it again (start a new run)."
                : null,
            ct);
    }

    public static async Task<IResult> CancelAsync(long id, HttpContext http, IJobClient client, IJobMonitor monitor, CancellationToken ct)
    {
        if (id < 1)
        {
            return JobIds.Invalid(id);
        }
        var result = await client.CancelAsync(id, http.User.JobwatchActor(), ct);
        return await AnswerAsync(id, result, monitor, "cancelled", JobTransition.Cancel, _ => null, ct);
    }

    public static async Task<IResult> DeleteAsync(long id, HttpContext http, IJobClient client, CancellationToken ct)
    {
        if (id < 1)
        {
            return JobIds.Invalid(id);
        }
        return await client.DeleteAsync(id, http.User.JobwatchActor(), ct)
            ? TypedResults.NoContent()
            : JobReadEndpoints.NotFound(id);
    }

    public static async Task<IResult> RetryDeadLettersAsync(HttpContext http, IJobClient client, CancellationToken ct)
    {
        var body = await ApiBody.ReadAsync<DeadLetterRetryRequest>(http);
        if (!body.Ok)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (r.Limit is < 1 or > MaxDeadLetterLimit)
        {
            errors["limit"] = [$"limit must be from 1 to {MaxDeadLetterLimit:N0} (got {r.Limit}); leave it out for {DefaultDeadLetterLimit:N0}, and repeat the call for more."];
        }
        if (r.StatusCode is < 100 or > 999)
        {
            errors["status_code"] = [$"status_code must be a three-digit status code such as 500 (got {r.StatusCode})."];
        }
        if (r.FailedAfter is { } after && r.FailedBefore is { } before && after > before)
        {
            errors["failed_after"] = [$"failed_after ({after:O}) is later than failed_before ({before:O}); swap them."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.BadRequest("Nothing was retried. " + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
        }
        var ids = await client.RetryDeadLettersAsync(new DeadLetterFilter
        {
            Queue = Blank(r.Queue),
            Name = Blank(r.Name),
            StatusCode = r.StatusCode,
            FailedAfter = r.FailedAfter,
            FailedBefore = r.FailedBefore,
            Limit = r.Limit ?? DefaultDeadLetterLimit,
        }, http.User.JobwatchActor(), ct);
        return TypedResults.Json(new DeadLetterRetryResponse(ids.Count, ids), ApiJson.ResponseOptions);
    }

    private static async Task<IResult> AnswerAsync(long id, JobActionResult result, IJobMonitor monitor, string done, JobTransition transition,
        Func<JobRecord, string?> special, CancellationToken ct)
    {
        switch (result.Status)
        {
            case JobActionStatus.Done:
                // Read back for the derived figures. The answer shows what the action did, so the read-back is used only
                // while nothing has happened since: a worker may already have taken a retried job (or run it and failed
                // it again), and the job may have been deleted meanwhile.
                var acted = result.Job!;
                var view = await monitor.GetJobAsync(id, ct);
                var dto = view is { View.Job: var current } && current.State == acted.State && current.Attempt == acted.Attempt
                    ? JobMapping.ToDto(view.View)
                    : JobMapping.ToDto(acted);
                return TypedResults.Json(dto, ApiJson.ResponseOptions);
            case JobActionStatus.NotFound:
                return JobReadEndpoints.NotFound(id);
            default:
                var job = result.Job!;
                var states = JobStateMachine.SourcesOf(transition).Select(s => s.ToName()).ToArray();
                var allowed = states.Length == 1 ? states[0] : $"{string.Join(", ", states[..^1])} or {states[^1]}";
                var detail = special(job) ?? $"Job {id} is {job.State.ToName()}; only {allowed} jobs can be {done}.";
                return ApiProblems.Conflict($"The job cannot be {done} in its current state.", detail);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
