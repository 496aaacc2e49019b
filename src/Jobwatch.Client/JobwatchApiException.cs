using System.Net;

namespace Jobwatch.Client;

/// <summary>
/// The server answered with an error. Carries the RFC 9457 problem (type, title, detail, field errors) so callers
/// can show the server's own explanation of what was wrong and how to fix it.
/// </summary>
public sealed class JobwatchApiException(HttpStatusCode status, string? type, string title, string? detail, IReadOnlyDictionary<string, string[]>? errors)
    : Exception(detail is null ? $"{(int)status} {title}" : $"{(int)status} {title} {detail}")
{
    public HttpStatusCode Status { get; } = status;
    /// <summary>The problem type URI (e.g. https://jobwatch.dev/problems/not-found), when the server sent one.</summary>
    public string? Type { get; } = type;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
}
