using System.Globalization;
using System.Text.Json;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Http;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Contracts.Monitoring;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary>
/// Seed 001's monitoring endpoints under <c>/api/monitoring</c>, in its snake_case shapes, because users' scripts parse
/// them (<c>jq '.jobs[] | select(.status == "failed") | .job_name'</c>). Our <c>active</c> state is the seed's
/// <c>running</c>; every other state keeps its own name (completed, failed, cancelled; waiting, delayed).
/// </summary>
internal static class MonitoringApi
{
    public const int DefaultHistoryLimit = 20;
    public const int MaxHistoryLimit = 100;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/jobs/active", async (IJobMonitor monitor, CancellationToken ct) =>
            {
                var jobs = await monitor.GetActiveAsync(ct);
                return TypedResults.Json(new MonitoringJobList(jobs.Select(ToJob).ToArray()), ApiJson.ResponseOptions);
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetMonitoringActiveJobs")
            .WithSummary("Running jobs with live progress, rate and ETA (seed 001).")
            .Produces<MonitoringJobList>();

        group.MapGet("/jobs/history", async (HttpRequest request, IJobMonitor monitor, CancellationToken ct) =>
            {
                if (!TryReadLimit(request, "limit", DefaultHistoryLimit, MaxHistoryLimit, out var limit, out var problem))
                {
                    return problem;
                }
                var jobName = request.Query["job_name"].ToString();
                var jobs = await monitor.GetHistoryAsync(string.IsNullOrWhiteSpace(jobName) ? null : jobName, limit, ct);
                return TypedResults.Json(new MonitoringJobList(jobs.Select(ToJob).ToArray()), ApiJson.ResponseOptions);
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetMonitoringJobHistory")
            .WithSummary("Started jobs, newest first; ?job_name= filters, ?limit= is 1–100 (default 20).")
            .Produces<MonitoringJobList>()
            .ProducesProblem(HttpStatus.Status400BadRequest);

        group.MapGet("/jobs/summary", async (IJobMonitor monitor, CancellationToken ct) =>
            {
                var latest = await monitor.GetSummaryAsync(ct);
                var summary = new SortedDictionary<string, MonitoringSummaryEntry>(StringComparer.Ordinal);
                foreach (var s in latest)
                {
                    summary[s.Name] = new MonitoringSummaryEntry(s.LastRun, SeedStatus(s.State), s.Progress, WholeSeconds(s.DurationSeconds), s.NextScheduled);
                }
                return TypedResults.Json(new MonitoringSummary(summary), ApiJson.ResponseOptions);
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetMonitoringJobSummary")
            .WithSummary("The latest run of every job name (seed 001).")
            .Produces<MonitoringSummary>();

        group.MapGet("/jobs/{id:long}", async (long id, IJobMonitor monitor, CancellationToken ct) =>
            {
                if (id < 1)
                {
                    return InvalidId(id.ToString(CultureInfo.InvariantCulture));
                }
                var detail = await monitor.GetJobAsync(id, ct);
                return detail is null
                    ? (IResult)ApiProblems.NotFound($"Job {id}", $"No job has id {id}. Find ids with GET /api/monitoring/jobs/history or /api/monitoring/jobs/active.")
                    : TypedResults.Json(ToJob(detail.View), ApiJson.ResponseOptions);
            })
            .RequireAuthorization(JobwatchPolicies.Read)
            .WithName("GetMonitoringJob")
            .WithSummary("One job execution by id (seed 001's /jobs/:job_id).")
            .Produces<MonitoringJob>()
            .ProducesProblem(HttpStatus.Status400BadRequest)
            .ProducesProblem(HttpStatus.Status404NotFound);

        // The constraint above leaves "abc" or an overflowing number unmatched; without this route they would get an empty 404.
        group.MapGet("/jobs/{id}", (string id) => InvalidId(id))
            .RequireAuthorization(JobwatchPolicies.Read)
            .ExcludeFromDescription();
    }

    internal static MonitoringJob ToJob(JobView view)
    {
        var j = view.Job;
        return new MonitoringJob(
            j.Id, j.Name, j.Type, SeedStatus(j.State),
            j.TotalItems, j.ItemsProcessed, j.ItemsSucceeded, j.ItemsFailed,
            view.ProgressPercent, j.StartedAt, WholeSeconds(view.ElapsedSeconds),
            view.EstimatedRemainingSeconds is { } eta ? (long)Math.Round(eta, MidpointRounding.AwayFromZero) : null,
            view.ItemsPerSecond, Json(j.Metadata) ?? EmptyObject,
            j.Queue, j.StatusCode, j.StatusLabel, j.CreatedBy, j.UpdatedBy, j.FinishedAt,
            // A completed job may keep the error of an earlier attempt; it no longer describes the job.
            j.State == JobState.Completed ? null : j.LastError);
    }

    /// <summary>Seed 001 calls a running job "running"; the other states keep Jobwatch's names.</summary>
    internal static string SeedStatus(JobState state) => state == JobState.Active ? "running" : state.ToName();

    internal static JsonElement? Json(string? raw)
    {
        if (raw is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(raw);
        return doc.RootElement.Clone();
    }

    /// <summary>Seconds as whole numbers, as the seed shows them; a running job has not yet reached the next second.</summary>
    private static long? WholeSeconds(double? seconds) => seconds is { } s ? (long)Math.Floor(s) : null;

    private static IResult InvalidId(string id) =>
        ApiProblems.InvalidParameter("id", $"'{id}' is not a job id: ids are whole numbers from 1 up, e.g. /api/monitoring/jobs/1234.");

    /// <summary>Reads an optional whole-number query parameter in 1–<paramref name="max"/>; anything else is a 400 naming it.</summary>
    internal static bool TryReadLimit(HttpRequest request, string name, int defaultValue, int max, out int value, out IResult problem)
    {
        problem = null!;
        value = defaultValue;
        var values = request.Query[name];
        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0])))
        {
            return true;
        }
        if (values.Count > 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < 1 || value > max)
        {
            problem = ApiProblems.InvalidParameter(name, $"{name} must be a whole number from 1 to {max} (got '{values}'); leave it out for {defaultValue}.");
            return false;
        }
        return true;
    }
}
