using Jobwatch.Contracts.Queues;

namespace Jobwatch.Client;

public sealed partial class JobwatchClient
{
    /// <summary><c>GET /api/v1/queues</c>: every queue with its counts per state, paused flag and workers, sorted by name.</summary>
    public async Task<IReadOnlyList<QueueDto>> ListQueuesAsync(CancellationToken ct = default) =>
        (await GetAsync<QueueListResponse>("api/v1/queues", ct).ConfigureAwait(false)).Queues;

    /// <summary><c>GET /api/v1/queues/{name}</c>, or null when no such queue exists.</summary>
    public Task<QueueDto?> GetQueueAsync(string name, CancellationToken ct = default) =>
        GetOrNullAsync<QueueDto>(QueuePath(name), ct);

    /// <summary><c>POST /api/v1/queues/{name}/pause</c>: workers on every node stop taking the queue's jobs; returns the queue after.</summary>
    public Task<QueueDto> PauseQueueAsync(string name, CancellationToken ct = default) =>
        SendAsync<QueueDto>(HttpMethod.Post, QueuePath(name) + "/pause", null, ct);

    /// <summary><c>POST /api/v1/queues/{name}/resume</c>: workers take the queue's jobs again; returns the queue after.</summary>
    public Task<QueueDto> ResumeQueueAsync(string name, CancellationToken ct = default) =>
        SendAsync<QueueDto>(HttpMethod.Post, QueuePath(name) + "/resume", null, ct);

    private static string QueuePath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "api/v1/queues/" + Uri.EscapeDataString(name);
    }
}
