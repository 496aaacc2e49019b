using Jobwatch.DependencyInjection;
using Jobwatch.Engine;

namespace Jobwatch.UnitTests.Engine;

public class BackoffTests
{
    private static RetryBackoffOptions Options(double jitter = 0.25, int maxSeconds = 3600) => new()
    {
        Base = TimeSpan.FromSeconds(1),
        Max = TimeSpan.FromSeconds(maxSeconds),
        Jitter = jitter,
    };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(7, 64)]
    public void Without_jitter_the_delay_doubles_per_attempt(int attempt, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Delay(Options(jitter: 0), attempt, 0.9));
    }

    [Fact]
    public void A_middle_random_value_gives_the_raw_delay_even_with_jitter()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), Backoff.Delay(Options(), 3, 0.5));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(31)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void The_delay_is_capped_at_Max(int attempt)
    {
        var o = Options(maxSeconds: 60);
        Assert.Equal(TimeSpan.FromSeconds(60), Backoff.Delay(o, attempt, 0.5));
        Assert.True(Backoff.Delay(o, attempt, 0.9999999) <= o.Max);
    }

    [Fact]
    public void Jitter_spreads_the_delay_by_plus_or_minus_its_fraction()
    {
        var o = Options(jitter: 0.25);
        var low = Backoff.Delay(o, 3, 0);
        var high = Backoff.Delay(o, 3, 0.9999999);
        Assert.Equal(TimeSpan.FromSeconds(3), low);
        Assert.InRange(high.TotalSeconds, 4.99, 5.0);
    }

    [Fact]
    public void Jitter_never_pushes_a_capped_delay_above_Max_but_may_lower_it()
    {
        var o = Options(jitter: 0.5, maxSeconds: 10);
        Assert.Equal(TimeSpan.FromSeconds(10), Backoff.Delay(o, 20, 0.9999999));
        Assert.Equal(TimeSpan.FromSeconds(5), Backoff.Delay(o, 20, 0));
    }

    [Fact]
    public void Every_random_value_stays_within_the_bounds()
    {
        var o = Options(jitter: 0.25);
        for (var r = 0.0; r < 1.0; r += 0.01)
        {
            Assert.InRange(Backoff.Delay(o, 4, r).TotalSeconds, 6.0, 10.0);
        }
    }

    [Fact]
    public void The_same_inputs_give_the_same_delay()
    {
        var o = Options();
        Assert.Equal(Backoff.Delay(o, 5, 0.123), Backoff.Delay(o, 5, 0.123));
        Assert.NotEqual(Backoff.Delay(o, 5, 0.123), Backoff.Delay(o, 5, 0.456));
    }

    [Fact]
    public void Attempt_zero_or_less_is_treated_as_the_first()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Delay(Options(jitter: 0), 0, 0.5));
    }
}
