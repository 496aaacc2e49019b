namespace Jobwatch.Client;

public sealed partial class JobwatchClient
{
    /// <summary>
    /// <c>GET /metrics</c>: the server's Prometheus text exposition, unparsed (the <c>jobwatch metrics prometheus</c>
    /// command prints it). Asks for the classic text format rather than OpenMetrics. Needs a viewer token when the
    /// server has tokens.
    /// </summary>
    public async Task<string> GetPrometheusMetricsAsync(CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, ct).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }
}
