using System.Text.Json;

namespace Jobwatch.Client;

/// <summary>How a <see cref="RemoteRun"/> talks to the server.</summary>
public sealed class RemoteRunOptions
{
    /// <summary>Counted progress is sent at most this often (default 1 s): a loop reporting 10,000 items a second makes one call a second.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>With nothing to report, a heartbeat is sent this often; default a third of the run's heartbeat timeout.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    internal void Validate()
    {
        if (ReportInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReportInterval), ReportInterval, "ReportInterval must be positive, e.g. 1 second.");
        }
        if (HeartbeatInterval is { } h && h <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), h, "HeartbeatInterval must be positive, and shorter than the run's heartbeat timeout.");
        }
    }
}

/// <summary>The client's JSON settings for values it serializes itself (custom progress, results).</summary>
internal static class RunJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
