using Jobwatch.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwatch.UnitTests.DependencyInjection;

public class JobwatchOptionsValidationTests
{
    public static TheoryData<string, Action<JobwatchOptions>> InvalidSettings => new()
    {
        { "Jobwatch:DefaultConcurrency", o => o.DefaultConcurrency = 0 },
        { "Jobwatch:Queues:emails:Concurrency", o => o.Queues["emails"] = new QueueOptions { Concurrency = 0 } },
        { "Jobwatch:LeaseDuration", o => o.LeaseDuration = TimeSpan.FromMilliseconds(500) },
        { "Jobwatch:PollInterval", o => o.PollInterval = TimeSpan.Zero },
        { "Jobwatch:FetchBatchSize", o => o.FetchBatchSize = 0 },
        { "Jobwatch:OutcomeBatchSize", o => o.OutcomeBatchSize = 0 },
        { "Jobwatch:ProgressFlushInterval", o => o.ProgressFlushInterval = TimeSpan.Zero },
        { "Jobwatch:RescueInterval", o => o.RescueInterval = TimeSpan.FromSeconds(-1) },
        { "Jobwatch:PromoteInterval", o => o.PromoteInterval = TimeSpan.Zero },
        { "Jobwatch:MaxStalledCount", o => o.MaxStalledCount = -1 },
        { "Jobwatch:RunHeartbeatTimeout", o => o.RunHeartbeatTimeout = TimeSpan.FromMilliseconds(999) },
        { "Jobwatch:ShutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromSeconds(-1) },
        { "Jobwatch:Backoff", o => o.Backoff.Base = TimeSpan.Zero },
        { "Jobwatch:Backoff", o => o.Backoff.Max = TimeSpan.FromMilliseconds(1) },
        { "Jobwatch:Backoff:Jitter", o => o.Backoff.Jitter = 1.5 },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void An_invalid_setting_fails_with_a_message_naming_its_configuration_key(string key, Action<JobwatchOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddJobwatch(configure);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JobwatchOptions>>().Value);
        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith(key, failure);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var services = new ServiceCollection();
        services.AddJobwatch();
        using var provider = services.BuildServiceProvider();
        Assert.Equal(8, provider.GetRequiredService<IOptions<JobwatchOptions>>().Value.DefaultConcurrency);
    }

    [Fact]
    public void Every_failure_is_reported_at_once()
    {
        var result = new JobwatchOptionsValidator().Validate(null, new JobwatchOptions { DefaultConcurrency = 0, FetchBatchSize = 0 });
        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
    }
}
