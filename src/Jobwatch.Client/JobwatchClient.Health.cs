using Jobwatch.Contracts.Health;
using Jobwatch.Contracts.StatusCodes;

namespace Jobwatch.Client;

public sealed partial class JobwatchClient
{
    /// <summary><c>GET /api/health</c>. A 503 (storage down) still returns the body, so callers can show why.</summary>
    public async Task<HealthResponse> GetHealthAsync(CancellationToken ct = default)
    {
        using var response = await _http.GetAsync("api/health", ct).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<HealthResponse>(response.Content, Json, ct).ConfigureAwait(false))!;
        }
        return await ReadAsync<HealthResponse>(response, ct).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/status-codes</c>.</summary>
    public async Task<IReadOnlyList<StatusCodeDto>> ListStatusCodesAsync(CancellationToken ct = default) =>
        (await GetAsync<StatusCodeList>("api/v1/status-codes", ct).ConfigureAwait(false)).Codes;
}
