using Jobwatch.Client;

namespace Jobwatch.Runs;

/// <summary>Checks <see cref="RunOptions"/> before anything is written, with messages that say how to fix the value.</summary>
internal static class RunOptionsValidator
{
    public const int MaxTextLength = JobRequestValidator.MaxNameLength;
    public static readonly TimeSpan MinHeartbeatTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxHeartbeatTimeout = TimeSpan.FromDays(1);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is not valid.</summary>
    public static void Validate(RunOptions o, TimeSpan heartbeatTimeout)
    {
        ArgumentNullException.ThrowIfNull(o);
        RequireText(o.Name, nameof(o.Name), required: true);
        RequireText(o.Type, nameof(o.Type), required: false);
        RequireText(o.CreatedBy, nameof(o.CreatedBy), required: false);
        JobRequestValidator.ValidateQueueName(o.Queue);
        if (o.TotalItems < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(o), o.TotalItems, $"TotalItems must not be negative (got {o.TotalItems}).");
        }
        if (heartbeatTimeout < MinHeartbeatTimeout || heartbeatTimeout > MaxHeartbeatTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(o), heartbeatTimeout,
                $"HeartbeatTimeout must be between 1 second and 1 day (got {heartbeatTimeout}); report at least that often, or the run is marked stalled.");
        }
    }

    private static void RequireText(string? value, string field, bool required)
    {
        if (value is null && !required)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxTextLength || value.Any(char.IsControl))
        {
            throw new ArgumentException(
                $"{field} '{value}' is not valid: give 1–{MaxTextLength} characters without control characters{(required ? "" : ", or leave it out")}.", field);
        }
    }
}
