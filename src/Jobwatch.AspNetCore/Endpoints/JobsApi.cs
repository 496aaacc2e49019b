using Jobwatch.AspNetCore.Http;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Endpoints.Jobs;
using Jobwatch.Contracts.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary>
/// <c>/api/v1/jobs</c>: search with keyset pagination, detail with timeline, enqueue (one or a batch), retry, cancel,
/// delete, and bulk retry of the dead-letter queue. Literal routes (<c>batch</c>, <c>dead-letters/retry</c>, and the seed
/// routes <c>failed/stats</c> and <c>failed/recent</c> mapped elsewhere) take precedence over <c>{id}</c>; a segment that
/// is not a job id reaches a catch-all that answers 400 naming the parameter instead of a bare 404.
/// </summary>
internal static class JobsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("", JobReadEndpoints.SearchAsync)
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("SearchJobs")
            .WithSummary("Search jobs by queue, name, state, status code, source, creation time and text; keyset-paginated.")
            .Produces<JobListResponse>()
            .ProducesProblem(HttpStatus.Status400BadRequest);

        group.MapGet("/{id:long}", JobReadEndpoints.GetAsync)
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetJob")
            .WithSummary("One job with its timeline.")
            .Produces<JobDetailResponse>()
            .ProducesProblem(HttpStatus.Status400BadRequest)
            .ProducesProblem(HttpStatus.Status404NotFound);

        group.MapPost("", JobWriteEndpoints.EnqueueAsync)
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("EnqueueJob")
            .WithSummary("Enqueue one job of a registered name.")
            .DocumentsJsonBody<EnqueueJobRequest>()
            .Produces<EnqueuedJobDto>(HttpStatus.Status201Created)
            .ProducesProblem(HttpStatus.Status400BadRequest)
            .ProducesProblem(HttpStatus.Status413PayloadTooLarge)
            .ProducesProblem(HttpStatus.Status415UnsupportedMediaType);

        group.MapPost("/batch", JobWriteEndpoints.EnqueueBatchAsync)
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("EnqueueJobs")
            .WithSummary($"Enqueue up to {JobEnqueue.MaxBatch} jobs, all or nothing.")
            .DocumentsJsonBody<EnqueueBatchRequest>()
            .Produces<EnqueueBatchResponse>(HttpStatus.Status201Created)
            .ProducesProblem(HttpStatus.Status400BadRequest)
            .ProducesProblem(HttpStatus.Status413PayloadTooLarge)
            .ProducesProblem(HttpStatus.Status415UnsupportedMediaType);

        group.MapPost("/dead-letters/retry", JobActionEndpoints.RetryDeadLettersAsync)
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("RetryDeadLetters")
            .WithSummary("Send failed jobs matching a filter back to waiting; send {} for all (up to limit).")
            .DocumentsJsonBody<DeadLetterRetryRequest>()
            .Produces<DeadLetterRetryResponse>()
            .ProducesProblem(HttpStatus.Status400BadRequest);

        group.MapPost("/{id:long}/retry", JobActionEndpoints.RetryAsync)
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("RetryJob")
            .WithSummary("Send a failed or cancelled job back to waiting with a fresh set of attempts.")
            .Produces<JobDto>()
            .ProducesProblem(HttpStatus.Status404NotFound)
            .ProducesProblem(HttpStatus.Status409Conflict);

        group.MapPost("/{id:long}/cancel", JobActionEndpoints.CancelAsync)
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("CancelJob")
            .WithSummary("Cancel a waiting, delayed or running job.")
            .Produces<JobDto>()
            .ProducesProblem(HttpStatus.Status404NotFound)
            .ProducesProblem(HttpStatus.Status409Conflict);

        group.MapDelete("/{id:long}", JobActionEndpoints.DeleteAsync)
            .RequireAuthorization(JobwatchPolicies.Operate)
            .WithName("DeleteJob")
            .WithSummary("Delete a job and its timeline (a running handler is stopped).")
            .Produces(HttpStatus.Status204NoContent)
            .ProducesProblem(HttpStatus.Status404NotFound);

        // Not a long (letters, overflow): the same 400 the handlers give for ids below 1, behind the same policy.
        group.MapGet("/{id}", (string id) => JobIds.Invalid(id)).RequireAuthorization(JobwatchPolicies.Read).ExcludeFromDescription();
        group.MapPost("/{id}/retry", (string id) => JobIds.Invalid(id)).RequireAuthorization(JobwatchPolicies.Operate).ExcludeFromDescription();
        group.MapPost("/{id}/cancel", (string id) => JobIds.Invalid(id)).RequireAuthorization(JobwatchPolicies.Operate).ExcludeFromDescription();
        group.MapDelete("/{id}", (string id) => JobIds.Invalid(id)).RequireAuthorization(JobwatchPolicies.Operate).ExcludeFromDescription();
    }
}
