using System.Globalization;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Endpoints.Runs;
using Jobwatch.AspNetCore.Http;
using Jobwatch.AspNetCore.Problems;
using Jobwatch.Contracts.Runs;
using Jobwatch.Monitoring;
using Jobwatch.Runs;
using Jobwatch.StatusCodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwatch.AspNetCore.Endpoints;

/// <summary>
/// External runs over HTTP (seed 001's model): a process in any language starts a run, reports progress and
/// heartbeats, and completes or fails it; the run shows up everywhere a queued job does. Requests are stateless:
/// each finds the live run by id through <see cref="IRunReporter.FindAsync"/>, which adopts a run another server process
/// holds (another node, or this server before a restart), so any node on the same store takes any run's reports.
/// Every report is also a heartbeat. Runs are reports, not operator actions, so they are not audited.
/// </summary>
internal static class RunsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("", StartAsync)
            .RequireAuthorization(JobwatchPolicies.Report).WithName("StartRun").WithSummary("Start an external run: work another process does and reports; it is active at once.").DocumentsJsonBody<StartRunRequest>()
            .Produces<RunDto>(HttpStatus.Status201Created).ProducesProblem(HttpStatus.Status400BadRequest);
        group.MapGet("/{id}", GetAsync)
            .RequireAuthorization(JobwatchPolicies.Report).WithName("GetRun").WithSummary("A run with its live progress, and whether this server takes its reports.")
            .Produces<RunDto>().ProducesProblem(HttpStatus.Status404NotFound);
        group.MapPost("/{id}/progress", ProgressAsync)
            .RequireAuthorization(JobwatchPolicies.Report).WithName("ReportRunProgress").WithSummary("Report progress (counts are increments); also a heartbeat.").DocumentsJsonBody<RunProgressRequest>()
            .Produces<RunDto>().ProducesProblem(HttpStatus.Status400BadRequest).ProducesProblem(HttpStatus.Status404NotFound).ProducesProblem(HttpStatus.Status409Conflict);
        group.MapPost("/{id}/heartbeat", HeartbeatAsync)
            .RequireAuthorization(JobwatchPolicies.Report).WithName("SendRunHeartbeat").WithSummary("Still alive, nothing new to count.")
            .Produces<RunDto>().ProducesProblem(HttpStatus.Status404NotFound).ProducesProblem(HttpStatus.Status409Conflict);
        group.MapPost("/{id}/complete", CompleteAsync)
            .RequireAuthorization(JobwatchPolicies.Report).WithName("CompleteRun").WithSummary("Complete a run with a 2xx/3xx code (default 200); the body is optional.").DocumentsJsonBody<CompleteRunRequest>()
            .Produces<RunDto>().ProducesProblem(HttpStatus.Status400BadRequest).ProducesProblem(HttpStatus.Status404NotFound).ProducesProblem(HttpStatus.Status409Conflict);
        group.MapPost("/{id}/fail", FailAsync)
            .RequireAuthorization(JobwatchPolicies.Report).WithName("FailRun").WithSummary("Fail a run with an error and a 4xx/5xx code (default 500).").DocumentsJsonBody<FailRunRequest>()
            .Produces<RunDto>().ProducesProblem(HttpStatus.Status400BadRequest).ProducesProblem(HttpStatus.Status404NotFound).ProducesProblem(HttpStatus.Status409Conflict);
    }

    private static async Task<IResult> StartAsync(HttpContext http, IRunReporter runs, TimeProvider time, CancellationToken ct)
    {
        var read = await ApiBody.ReadAsync<StartRunRequest>(http);
        if (!read.Ok)
        {
            return read.Problem!;
        }
        var errors = new Dictionary<string, string[]>();
        if (RunRequests.ToOptions(read.Value!, http.User.JobwatchActor(), errors) is not { } options)
        {
            return ApiProblems.BadRequest(RunRequests.Summary(errors), errors);
        }
        JobRun run;
        try
        {
            run = await runs.StartAsync(options, ct);
        }
        catch (ArgumentException ex)
        {
            // The core's own rules (e.g. the queue name's characters), checked before anything is written.
            var field = ex.ParamName == "queue" ? "queue" : "body";
            var message = CoreMessage(ex);
            return ApiProblems.BadRequest(message, new Dictionary<string, string[]> { [field] = [message] });
        }
        http.Response.Headers.Location = $"{http.Request.PathBase}{http.Request.Path.Value!.TrimEnd('/')}/{run.Id.ToString(CultureInfo.InvariantCulture)}";
        return Json(RunMapping.ToDto(run.Job, run, time.GetUtcNow()), HttpStatus.Status201Created);
    }

    private static async Task<IResult> GetAsync(string id, IRunReporter runs, TimeProvider time, CancellationToken ct)
    {
        if (ParseId(id) is not { } runId)
        {
            return InvalidId(id);
        }
        var lookup = await runs.FindAsync(runId, ct);
        return lookup.Status switch
        {
            RunLookupStatus.NotFound or RunLookupStatus.NotARun => Problem(lookup)!,
            _ => Json(RunMapping.ToDto(lookup.Job!, lookup.Run, time.GetUtcNow())),
        };
    }

    private static async Task<IResult> ProgressAsync(string id, HttpContext http, IRunReporter runs, TimeProvider time, CancellationToken ct)
    {
        if (ParseId(id) is not { } runId)
        {
            return InvalidId(id);
        }
        var read = await ApiBody.ReadAsync<RunProgressRequest>(http);
        if (!read.Ok)
        {
            return read.Problem!;
        }
        var errors = new Dictionary<string, string[]>();
        RunRequests.Validate(read.Value, "", errors);
        if (errors.Count > 0)
        {
            return ApiProblems.BadRequest(RunRequests.Summary(errors), errors);
        }
        var (lookup, problem) = await FindLiveAsync(runs, runId, ct);
        if (problem is not null)
        {
            return problem;
        }
        RunRequests.Apply(read.Value, lookup.Run!);
        return Json(RunMapping.ToDto(lookup.Job!, lookup.Run, time.GetUtcNow()));
    }

    private static async Task<IResult> HeartbeatAsync(string id, IRunReporter runs, TimeProvider time, CancellationToken ct)
    {
        if (ParseId(id) is not { } runId)
        {
            return InvalidId(id);
        }
        var (lookup, problem) = await FindLiveAsync(runs, runId, ct);
        if (problem is not null)
        {
            return problem;
        }
        lookup.Run!.Heartbeat();
        return Json(RunMapping.ToDto(lookup.Job!, lookup.Run, time.GetUtcNow()));
    }

    private static async Task<IResult> CompleteAsync(string id, HttpContext http, IRunReporter runs, IJobMonitor monitor, StatusCodeRegistry codes, TimeProvider time, CancellationToken ct)
    {
        if (ParseId(id) is not { } runId)
        {
            return InvalidId(id);
        }
        var body = new CompleteRunRequest();
        if (HasBody(http.Request))
        {
            var read = await ApiBody.ReadAsync<CompleteRunRequest>(http);
            if (!read.Ok)
            {
                return read.Problem!;
            }
            body = read.Value!;
        }
        var errors = new Dictionary<string, string[]>();
        var code = RunRequests.Code(body.StatusCode, JobStatusCodes.Success, success: true, codes, errors);
        RunRequests.Validate(body.Progress, "progress.", errors);
        if (errors.Count > 0)
        {
            return ApiProblems.BadRequest(RunRequests.Summary(errors), errors);
        }
        return await FinishAsync(runs, monitor, time, runId, body.Progress,
            run => run.CompleteAsync(code!.Code, body.Result is { } result ? result.GetRawText() : null), ct);
    }

    private static async Task<IResult> FailAsync(string id, HttpContext http, IRunReporter runs, IJobMonitor monitor, StatusCodeRegistry codes, TimeProvider time, CancellationToken ct)
    {
        if (ParseId(id) is not { } runId)
        {
            return InvalidId(id);
        }
        var read = await ApiBody.ReadAsync<FailRunRequest>(http);
        if (!read.Ok)
        {
            return read.Problem!;
        }
        var body = read.Value!;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Error))
        {
            errors["error"] = ["error is required: say in one line what went wrong, e.g. \"the upstream API answered 503 for 10 minutes\"."];
        }
        var code = RunRequests.Code(body.StatusCode, JobStatusCodes.InternalError, success: false, codes, errors);
        RunRequests.Validate(body.Progress, "progress.", errors);
        if (errors.Count > 0)
        {
            return ApiProblems.BadRequest(RunRequests.Summary(errors), errors);
        }
        return await FinishAsync(runs, monitor, time, runId, body.Progress, run => run.FailAsync(body.Error, code!.Code, body.Stack), ct);
    }

    private static async Task<IResult> FinishAsync(IRunReporter runs, IJobMonitor monitor, TimeProvider time, long runId, RunProgressRequest? last,
        Func<JobRun, Task> finish, CancellationToken ct)
    {
        var (lookup, problem) = await FindLiveAsync(runs, runId, ct);
        if (problem is not null)
        {
            return problem;
        }
        var run = lookup.Run!;
        RunRequests.Apply(last, run);
        try
        {
            // Not cancellable: once the outcome is handed over, a caller hanging up must not leave it half-done.
            await finish(run);
        }
        catch (InvalidOperationException ex)
        {
            // Another request finished it first, or it was stalled or cancelled meanwhile: say which, from storage.
            var again = await runs.FindAsync(runId, CancellationToken.None);
            return Problem(again) ?? ApiProblems.Conflict($"Run {runId} is already being completed or failed.", ex.Message);
        }
        var final = await monitor.GetJobAsync(runId, CancellationToken.None);
        return Json(RunMapping.ToDto(final?.View.Job ?? run.Job, null, time.GetUtcNow()));
    }

    /// <summary>The live run this process holds, or the problem saying why reports for this id can't be taken.</summary>
    private static async Task<(RunLookup Lookup, IResult? Problem)> FindLiveAsync(IRunReporter runs, long id, CancellationToken ct)
    {
        var lookup = await runs.FindAsync(id, ct);
        if (lookup.Run is { IsFinished: true })
        {
            return (lookup, ApiProblems.Create(HttpStatus.Status409Conflict, "run-not-active", $"Run {id} is being completed or failed.",
                $"Run {id} already received its outcome (complete or fail), which is being saved; reports after that are not recorded. GET /api/v1/runs/{id} shows how it ended."));
        }
        return (lookup, Problem(lookup));
    }

    private static IResult? Problem(RunLookup lookup) => lookup.Status switch
    {
        RunLookupStatus.Held => null,
        RunLookupStatus.NotFound or RunLookupStatus.NotARun => ApiProblems.NotFound($"Run {lookup.Id}",
            lookup.Describe() + " Start a run with POST /api/v1/runs and report on the id it returns."),
        RunLookupStatus.Ended => ApiProblems.Create(HttpStatus.Status409Conflict, "run-not-active",
            $"Run {lookup.Id} is not active ({lookup.EndedAs}).", lookup.Describe()),
        _ => ApiProblems.Create(HttpStatus.Status409Conflict, "run-held-elsewhere",
            $"Run {lookup.Id} is changing hands between server processes.", lookup.Describe()),
    };

    private static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private static IResult InvalidId(string id) =>
        ApiProblems.InvalidParameter("id", $"'{id}' is not a run id: use the positive integer returned by POST /api/v1/runs (e.g. /api/v1/runs/1234/progress).");

    /// <summary>Complete takes an optional body: none at all (e.g. <c>curl -X POST</c>) means the defaults.</summary>
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static string CoreMessage(ArgumentException ex)
    {
        var cut = ex.Message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut < 0 ? ex.Message : ex.Message[..cut];
    }

    private static IResult Json(RunDto dto, int status = HttpStatus.Status200OK) => TypedResults.Json(dto, ApiJson.ResponseOptions, statusCode: status);
}
