using System.Globalization;

namespace Jobwatch.Cli.Rendering;

/// <summary>How figures read in tables: durations as "3m 35s", counts with separators, times in UTC to the second.</summary>
public static class Format
{
    public const string None = "-";

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || !double.IsFinite(s) || s < 0)
        {
            return None;
        }
        var t = TimeSpan.FromSeconds(Math.Floor(s));
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h"
            : t.TotalHours >= 1 ? $"{t.Hours}h {t.Minutes:00}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds:00}s"
            : s < 1 && s > 0 ? $"{Math.Round(s * 1000).ToString("0", CultureInfo.InvariantCulture)}ms"
            : $"{t.Seconds}s";
    }

    public static string Count(long? value) => value is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : None;

    public static string Rate(double? perSecond) => perSecond is { } r && double.IsFinite(r)
        ? r.ToString(r >= 100 ? "#,0" : "0.00", CultureInfo.InvariantCulture) + "/s"
        : None;

    public static string Percent(double? fraction0To1) => fraction0To1 is { } f ? (f * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : None;

    /// <summary>UTC, to the second: servers are remote and their users in many zones; headers say "(UTC)".</summary>
    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : None;

    public static string Code(int? code, string? label) => code is { } c ? (label is null ? c.ToString(CultureInfo.InvariantCulture) : $"{c} {label}") : None;

    /// <summary>Items as "1,523/2,847", or only the processed count when the job set no total.</summary>
    public static string Items(long processed, long? total) => total is { } t ? $"{Count(processed)}/{Count(t)}" : Count(processed);

    public static string Truncate(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return None;
        }
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    /// <summary>Colors a job or health status the same way everywhere.</summary>
    public static Style StatusStyle(string? status) => status switch
    {
        "completed" or "healthy" or "up" => Style.Green,
        "failed" or "unhealthy" or "down" => Style.Red,
        "running" or "active" => Style.Cyan,
        "cancelled" or "degraded" or "delayed" or "paused" => Style.Yellow,
        "waiting" => Style.Dim,
        _ => Style.None,
    };
}
