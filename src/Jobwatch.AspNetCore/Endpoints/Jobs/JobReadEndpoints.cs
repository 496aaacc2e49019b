using Jobwatch.AspNetCore.Http;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Contracts.Jobs;
using Jobwatch.Monitoring;
using Microsoft.AspNetCore.Http;

namespace Jobwatch.AspNetCore.Endpoints.Jobs;

internal static class JobReadEndpoints
{
    public static async Task<IResult> SearchAsync(HttpContext http, [AsParameters] JobSearchArgs args, IJobMonitor monitor, CancellationToken ct)
    {
        var (query, problem) = JobSearch.Parse(args, http.Request.Query);
        if (problem is not null)
        {
            return problem;
        }
        // One row more than the page tells whether another page follows, so the last page carries no cursor.
        var limit = query!.Limit - 1;
        var page = await monitor.SearchAsync(query, ct);
        var jobs = page.Jobs.Take(limit).ToArray();
        string? next = null;
        if (page.Jobs.Count > limit)
        {
            var last = jobs[^1].Job;
            next = JobCursor.Encode(new(last.Id, query.Order == Storage.JobListOrder.RecentlyFinished ? last.FinishedAt : null), query.Order);
        }
        var body = new JobListResponse(jobs.Select(JobMapping.ToDto).ToArray(), next, limit, JobCursor.Name(query.Order));
        return TypedResults.Json(body, ApiJson.ResponseOptions);
    }

    public static async Task<IResult> GetAsync(long id, IJobMonitor monitor, CancellationToken ct)
    {
        if (id < 1)
        {
            return JobIds.Invalid(id);
        }
        var detail = await monitor.GetJobAsync(id, ct);
        return detail is null
            ? NotFound(id)
            : TypedResults.Json(JobMapping.ToDetail(detail), ApiJson.ResponseOptions);
    }

    public static IResult NotFound(long id) =>
        ApiProblems.NotFound("The job", $"No job has id {id}: it never existed, or it was deleted or pruned by retention. Search with GET /api/v1/jobs.");
}
