using Jobwatch.DependencyInjection;

namespace Jobwatch.Engine;

/// <summary>When a failed attempt runs again.</summary>
public static class Backoff
{
    /// <param name="attempt">The attempt that just failed (1-based).</param>
    /// <param name="random01">A value in [0,1): injected so tests are deterministic.</param>
    public static TimeSpan Delay(RetryBackoffOptions o, int attempt, double random01)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var raw = Math.Min(o.Max.TotalMilliseconds, o.Base.TotalMilliseconds * Math.Pow(2, exponent));
        // ±Jitter around the raw delay, never above Max.
        var factor = 1 + o.Jitter * (2 * random01 - 1);
        return TimeSpan.FromMilliseconds(Math.Min(o.Max.TotalMilliseconds, raw * factor));
    }
}
