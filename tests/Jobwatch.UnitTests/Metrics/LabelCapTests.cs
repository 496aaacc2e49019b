using Jobwatch.Observability;

namespace Jobwatch.UnitTests.Metrics;

public class LabelCapTests
{
    [Fact]
    public void The_first_values_keep_their_name_and_later_ones_become_other()
    {
        var cap = new LabelCap(2);
        Assert.Equal("a", cap.Label("a"));
        Assert.Equal("b", cap.Label("b"));
        Assert.Equal(LabelCap.Other, cap.Label("c"));
        Assert.Equal("a", cap.Label("a"));
        Assert.Equal(LabelCap.Other, cap.Label("c"));
        Assert.Equal(2, cap.Count);
    }

    [Fact]
    public void Values_admitted_first_are_kept_whatever_comes_later()
    {
        var cap = new LabelCap(2, ["registered"]);
        Assert.Equal("dynamic", cap.Label("dynamic"));
        Assert.Equal(LabelCap.Other, cap.Label("late"));
        Assert.Equal("registered", cap.Label("registered"));
    }

    [Fact]
    public void Racing_callers_never_admit_more_than_the_cap()
    {
        var cap = new LabelCap(50);
        Parallel.For(0, 1000, i => cap.Label($"v{i % 200}"));
        Assert.Equal(50, cap.Count);
        var kept = Enumerable.Range(0, 200).Select(i => cap.Label($"v{i}")).Where(l => l != LabelCap.Other).ToArray();
        Assert.Equal(50, kept.Length);
    }

    [Fact]
    public void A_cap_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabelCap(0));
}
