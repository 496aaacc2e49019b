using Jobwatch.DependencyInjection;
using Jobwatch.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobwatch.UnitTests.Metrics;

public class MetricsOptionsTests
{
    public static TheoryData<string, Action<JobwatchOptions>> InvalidSettings => new()
    {
        { "Jobwatch:Metrics:MaxJobNames", o => o.Metrics.MaxJobNames = 0 },
        { "Jobwatch:Metrics:MaxSources", o => o.Metrics.MaxSources = 0 },
        { "Jobwatch:Metrics:MaxQueues", o => o.Metrics.MaxQueues = 0 },
        { "Jobwatch:Metrics:StoreSampleMaxAge", o => o.Metrics.StoreSampleMaxAge = TimeSpan.FromSeconds(-1) },
        { "Jobwatch:Metrics:StoreSampleTimeout", o => o.Metrics.StoreSampleTimeout = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void An_invalid_metrics_setting_fails_naming_its_configuration_key(string key, Action<JobwatchOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddJobwatch(configure);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JobwatchOptions>>().Value);
        Assert.StartsWith(key, Assert.Single(ex.Failures));
    }

    [Fact]
    public void Caps_default_to_100_names_and_sources_and_bind_from_configuration()
    {
        Assert.Equal((100, 100), (new JobwatchMetricsOptions().MaxJobNames, new JobwatchMetricsOptions().MaxSources));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobwatch:Metrics:MaxJobNames"] = "7",
            ["Jobwatch:Metrics:StoreSampleMaxAge"] = "00:00:30",
        }).Build();
        var options = new JobwatchOptions();
        configuration.GetSection("Jobwatch").Bind(options);
        Assert.Equal(7, options.Metrics.MaxJobNames);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Metrics.StoreSampleMaxAge);
    }

    [Fact]
    public void Each_host_gets_its_own_Jobwatch_meter_so_two_hosts_in_one_process_never_mix()
    {
        using var a = Build();
        using var b = Build();
        var meterA = a.Services.GetRequiredService<JobwatchMetrics>().Meter;
        var meterB = b.Services.GetRequiredService<JobwatchMetrics>().Meter;
        Assert.Equal(JobwatchDiagnostics.MeterName, meterA.Name);
        Assert.Equal(meterA.Name, meterB.Name);
        Assert.NotSame(meterA, meterB);

        static IHost Build()
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddJobwatch();
            return builder.Build();
        }
    }
}
