namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>Times are stored as INTEGER unix epoch microseconds (UTC): sortable, compact, exact to the microsecond.</summary>
internal static class UnixMicros
{
    private static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    public static long From(DateTimeOffset time) => (time.UtcTicks - EpochTicks) / TimeSpan.TicksPerMicrosecond;

    public static long? From(DateTimeOffset? time) => time is { } value ? From(value) : null;

    public static DateTimeOffset ToTime(long micros) => new(EpochTicks + micros * TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
}
