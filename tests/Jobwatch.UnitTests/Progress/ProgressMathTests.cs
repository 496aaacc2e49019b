using Jobwatch.Progress;

namespace Jobwatch.UnitTests.Progress;

public class ProgressMathTests
{
    [Theory]
    [InlineData(200L, 50L, null, 25.0)]
    [InlineData(3L, 1L, null, 33.3)]
    [InlineData(2847L, 1523L, null, 53.5)]
    [InlineData(10L, 15L, null, 100.0)]
    [InlineData(10L, 5L, 90.0, 50.0)] // a known total wins over a reported percent
    public void Percent_with_a_total_counts_items(long total, long processed, double? reported, double expected)
    {
        Assert.Equal(expected, ProgressMath.Percent(total, processed, reported));
    }

    [Theory]
    [InlineData(null, 33.333, 33.3)]
    [InlineData(0L, 42.0, 42.0)] // a zero total is "unknown"
    [InlineData(null, 150.0, 100.0)]
    [InlineData(null, -5.0, 0.0)]
    public void Percent_without_a_total_uses_the_reported_value_clamped(long? total, double reported, double expected)
    {
        Assert.Equal(expected, ProgressMath.Percent(total, 7, reported));
    }

    [Fact]
    public void Percent_is_unknown_with_neither_total_nor_report()
    {
        Assert.Null(ProgressMath.Percent(null, 500, null));
        Assert.Null(ProgressMath.Percent(0, 500, null));
    }

    [Fact]
    public void Items_per_second_is_items_over_elapsed()
    {
        Assert.Equal(2.5, ProgressMath.ItemsPerSecond(10, TimeSpan.FromSeconds(4)));
        Assert.Equal(3.33, ProgressMath.ItemsPerSecond(10, TimeSpan.FromSeconds(3)));
        Assert.Null(ProgressMath.ItemsPerSecond(0, TimeSpan.FromSeconds(3)));
        Assert.Null(ProgressMath.ItemsPerSecond(10, TimeSpan.Zero));
    }

    [Fact]
    public void Eta_from_items_is_remaining_over_rate()
    {
        // 25 items in 5 s is 5/s; 75 left → 15 s.
        Assert.Equal(15, ProgressMath.EtaSeconds(100, 25, null, TimeSpan.FromSeconds(5)));
        Assert.Equal(0, ProgressMath.EtaSeconds(100, 100, null, TimeSpan.FromSeconds(5)));
        Assert.Equal(0, ProgressMath.EtaSeconds(100, 120, null, TimeSpan.FromSeconds(5)));
        Assert.Null(ProgressMath.EtaSeconds(100, 0, null, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Eta_from_a_reported_percent_extrapolates_elapsed_time()
    {
        // 25% in 30 s → 90 s left.
        Assert.Equal(90, ProgressMath.EtaSeconds(null, 0, 25, TimeSpan.FromSeconds(30)));
        Assert.Equal(0, ProgressMath.EtaSeconds(null, 0, 100, TimeSpan.FromSeconds(30)));
        Assert.Null(ProgressMath.EtaSeconds(null, 0, 0, TimeSpan.FromSeconds(30)));
        Assert.Null(ProgressMath.EtaSeconds(null, 40, null, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Eta_is_unknown_before_any_time_has_passed()
    {
        Assert.Null(ProgressMath.EtaSeconds(100, 50, null, TimeSpan.Zero));
    }
}
