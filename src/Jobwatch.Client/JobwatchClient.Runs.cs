using System.Globalization;
using Jobwatch.Contracts.Runs;

namespace Jobwatch.Client;

public sealed partial class JobwatchClient
{
    /// <summary>
    /// Starts an external run and returns a <see cref="RemoteRun"/> that reports on it: count items locally, and it sends
    /// them coalesced (at most every <see cref="RemoteRunOptions.ReportInterval"/>) and heartbeats in the background.
    /// Needs a token with the reporter, operator or admin role.
    /// <code>
    /// await using var run = await client.StartRunAsync(new StartRunRequest { Name = "nightly_import", TotalItems = 2847 });
    /// foreach (var item in items) { …; run.ItemSucceeded(); }
    /// await run.CompleteAsync();
    /// </code>
    /// </summary>
    public async Task<RemoteRun> StartRunAsync(StartRunRequest request, RemoteRunOptions? options = null, CancellationToken ct = default)
    {
        options ??= new RemoteRunOptions();
        options.Validate();
        var started = await CreateRunAsync(request, ct).ConfigureAwait(false);
        return new RemoteRun(this, started, options);
    }

    /// <summary><c>POST /api/v1/runs</c>: starts a run and returns it (201). Prefer <see cref="StartRunAsync"/>, which also reports on it.</summary>
    public Task<RunDto> CreateRunAsync(StartRunRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<RunDto>(HttpMethod.Post, "api/v1/runs", request, ct);
    }

    /// <summary><c>GET /api/v1/runs/{id}</c>: the run with its live progress while this server holds it; null when there is no such run.</summary>
    public Task<RunDto?> GetRunAsync(long id, CancellationToken ct = default) => GetOrNullAsync<RunDto>(RunPath(id, ""), ct);

    /// <summary><c>POST /api/v1/runs/{id}/progress</c>: counts are increments; the other fields replace the previous values.</summary>
    public Task<RunDto> ReportRunProgressAsync(long id, RunProgressRequest report, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return SendAsync<RunDto>(HttpMethod.Post, RunPath(id, "/progress"), report, ct);
    }

    /// <summary><c>POST /api/v1/runs/{id}/heartbeat</c>: "still alive" with nothing new to count.</summary>
    public Task<RunDto> SendRunHeartbeatAsync(long id, CancellationToken ct = default) =>
        SendAsync<RunDto>(HttpMethod.Post, RunPath(id, "/heartbeat"), null, ct);

    /// <summary><c>POST /api/v1/runs/{id}/complete</c>: with no request, completes with 200 SUCCESS.</summary>
    public Task<RunDto> CompleteRunAsync(long id, CompleteRunRequest? request = null, CancellationToken ct = default) =>
        SendAsync<RunDto>(HttpMethod.Post, RunPath(id, "/complete"), request, ct);

    /// <summary><c>POST /api/v1/runs/{id}/fail</c>: the run goes to the dead-letter list.</summary>
    public Task<RunDto> FailRunAsync(long id, FailRunRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<RunDto>(HttpMethod.Post, RunPath(id, "/fail"), request, ct);
    }

    private static string RunPath(long id, string suffix) => "api/v1/runs/" + id.ToString(CultureInfo.InvariantCulture) + suffix;
}
