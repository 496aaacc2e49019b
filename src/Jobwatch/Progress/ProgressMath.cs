namespace Jobwatch.Progress;

/// <summary>Percent, rate and ETA, derived from counters and times (seed 001's fields).</summary>
public static class ProgressMath
{
    /// <summary>Items over total when a total is known, otherwise the percentage the handler reported; 0–100, one decimal.</summary>
    public static double? Percent(long? totalItems, long itemsProcessed, double? reportedPercent)
    {
        if (totalItems is > 0)
        {
            return Math.Round(Math.Clamp(itemsProcessed * 100.0 / totalItems.Value, 0, 100), 1);
        }
        return reportedPercent is { } p ? Math.Round(Math.Clamp(p, 0, 100), 1) : null;
    }

    /// <summary>Items per second since the run started; null before the first second or without items.</summary>
    public static double? ItemsPerSecond(long itemsProcessed, TimeSpan elapsed)
    {
        if (itemsProcessed <= 0 || elapsed <= TimeSpan.Zero)
        {
            return null;
        }
        return Math.Round(itemsProcessed / elapsed.TotalSeconds, 2);
    }

    /// <summary>Seconds left at the current rate; from the reported percent when items are not counted.</summary>
    public static double? EtaSeconds(long? totalItems, long itemsProcessed, double? reportedPercent, TimeSpan elapsed)
    {
        if (elapsed <= TimeSpan.Zero)
        {
            return null;
        }
        if (totalItems is > 0)
        {
            var remaining = Math.Max(0, totalItems.Value - itemsProcessed);
            if (remaining == 0)
            {
                return 0;
            }
            var rate = itemsProcessed / elapsed.TotalSeconds;
            return rate > 0 ? Math.Round(remaining / rate) : null;
        }
        if (reportedPercent is > 0 and < 100 and var p)
        {
            return Math.Round(elapsed.TotalSeconds * (100 - p) / p);
        }
        return reportedPercent >= 100 ? 0 : null;
    }
}
