using Jobwatch.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwatch.UnitTests.Health;

public class QueueHealthOptionsTests
{
    private static QueueHealthOptions Resolve(IDictionary<string, string?>? configuration = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        if (configuration is not null)
        {
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        }
        services.AddJobwatch();
        more?.Invoke(services);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<QueueHealthOptions>>().Value;
    }

    [Fact]
    public void The_defaults_are_seed_002s_table()
    {
        var t = Resolve().For("any");
        Assert.Equal((1, 5), (t.FailedDegradedAt, t.FailedUnhealthyAbove));
        Assert.Equal((5.0, 10.0), (t.ErrorRateDegradedAtPercent, t.ErrorRateUnhealthyAbovePercent));
        Assert.Equal((10, 50), (t.BacklogDegradedAt, t.BacklogUnhealthyAbove));
        Assert.Equal(QueueHealthStatus.Unhealthy, t.PausedStatus);
    }

    [Fact]
    public void A_queue_entry_changes_only_what_it_sets_on_top_of_the_default()
    {
        var o = new QueueHealthOptions { Default = new() { BacklogUnhealthyAbove = 100 } };
        o.Queues["critical"] = new() { FailedUnhealthyAbove = 10 };

        var critical = o.For("critical");
        Assert.Equal(10, critical.FailedUnhealthyAbove);
        Assert.Equal(100, critical.BacklogUnhealthyAbove);
        Assert.Equal(1, critical.FailedDegradedAt);

        var other = o.For("default");
        Assert.Equal(5, other.FailedUnhealthyAbove);
        Assert.Equal(100, other.BacklogUnhealthyAbove);
        // Queue names are exact, as everywhere else in Jobwatch.
        Assert.Equal(5, o.For("Critical").FailedUnhealthyAbove);
    }

    [Fact]
    public void Configuration_section_Jobwatch_Health_is_read_with_every_kind_of_value()
    {
        var o = Resolve(new Dictionary<string, string?>
        {
            ["Jobwatch:Health:Default:BacklogUnhealthyAbove"] = "100",
            ["Jobwatch:Health:Default:ErrorRateDegradedAtPercent"] = "7.5",
            ["Jobwatch:Health:Default:WaitingDegradedAfter"] = "00:05:00",
            ["Jobwatch:Health:Queues:critical:FailedUnhealthyAbove"] = "10",
            ["Jobwatch:Health:Queues:critical:PausedStatus"] = "Degraded",
        });
        var critical = o.For("critical");
        Assert.Equal(10, critical.FailedUnhealthyAbove);
        Assert.Equal(100, critical.BacklogUnhealthyAbove);
        Assert.Equal(7.5, critical.ErrorRateDegradedAtPercent);
        Assert.Equal(TimeSpan.FromMinutes(5), critical.WaitingDegradedAfter);
        Assert.Equal(QueueHealthStatus.Degraded, critical.PausedStatus);
        Assert.Equal(QueueHealthStatus.Unhealthy, o.For("default").PausedStatus);
    }

    [Fact]
    public void Thresholds_set_in_code_win_over_configuration()
    {
        var o = Resolve(
            new Dictionary<string, string?> { ["Jobwatch:Health:Default:BacklogUnhealthyAbove"] = "100" },
            s => s.AddJobwatchQueueHealth(h => h.Default.BacklogUnhealthyAbove = 70));
        Assert.Equal(70, o.For("x").BacklogUnhealthyAbove);
    }

    [Theory]
    [InlineData("Jobwatch:Health:Default:BacklogUnhealty", "5", "is not a health threshold")]
    [InlineData("Jobwatch:Health:Queues:critical:FailedUnhealthyAbove", "lots", "is not a whole number")]
    [InlineData("Jobwatch:Health:Default:WaitingDegradedAfter", "ten minutes", "hh:mm:ss")]
    [InlineData("Jobwatch:Health:Default:PausedStatus", "fine", "healthy, degraded or unhealthy")]
    [InlineData("Jobwatch:Health:Thresholds", "5", "has Default and Queues")]
    public void A_bad_configuration_entry_fails_naming_its_key(string key, string value, string reason)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?> { [key] = value }));
        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith(key, failure);
        Assert.Contains(reason, failure);
    }

    public static TheoryData<string, Action<QueueHealthOptions>> InvalidSettings => new()
    {
        { "Jobwatch:Health:Default:FailedDegradedAt", o => o.Default.FailedDegradedAt = 0 },
        { "Jobwatch:Health:Default:BacklogUnhealthyAbove", o => o.Default.BacklogUnhealthyAbove = 3 },
        { "Jobwatch:Health:Default:StaleUnhealthyAbove", o => o.Default.StaleUnhealthyAbove = -1 },
        { "Jobwatch:Health:Default:ErrorRateDegradedAtPercent", o => o.Default.ErrorRateDegradedAtPercent = 0 },
        { "Jobwatch:Health:Default:ErrorRateUnhealthyAbovePercent", o => o.Default.ErrorRateUnhealthyAbovePercent = 100 },
        { "Jobwatch:Health:Default:ErrorRateUnhealthyAbovePercent", o => o.Default.ErrorRateUnhealthyAbovePercent = 4 },
        { "Jobwatch:Health:Default:ErrorRateMinimumFinished", o => o.Default.ErrorRateMinimumFinished = 0 },
        { "Jobwatch:Health:Default:WaitingDegradedAfter", o => o.Default.WaitingDegradedAfter = TimeSpan.Zero },
        { "Jobwatch:Health:Default:PausedStatus", o => o.Default.PausedStatus = (QueueHealthStatus)7 },
        // Valid on its own, but below the default's degraded threshold of 10.
        { "Jobwatch:Health:Queues:critical:BacklogUnhealthyAbove", o => o.Queues["critical"] = new() { BacklogUnhealthyAbove = 5 } },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void An_invalid_threshold_fails_naming_its_key(string key, Action<QueueHealthOptions> configure)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(more: s => s.AddJobwatchQueueHealth(configure)));
        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith(key, failure);
    }
}
