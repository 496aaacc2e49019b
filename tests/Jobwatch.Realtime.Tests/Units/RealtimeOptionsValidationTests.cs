using Jobwatch.AspNetCore;

namespace Jobwatch.Realtime.Tests.Units;

/// <summary>Bad realtime options stop start-up with a message that names the key and the allowed values.</summary>
public sealed class RealtimeOptionsValidationTests
{
    private static string? Problem(Action<JobwatchRealtimeOptions> change)
    {
        var options = new JobwatchRealtimeOptions();
        change(options);
        var result = new JobwatchRealtimeOptionsValidator().Validate(null, options);
        return result.Failed ? result.FailureMessage : null;
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Null(Problem(_ => { }));

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void A_progress_interval_outside_0_to_10_seconds_is_refused(int milliseconds)
    {
        var message = Problem(o => o.ProgressInterval = TimeSpan.FromMilliseconds(milliseconds));
        Assert.NotNull(message);
        Assert.Contains("Jobwatch:Api:Realtime:ProgressInterval", message);
    }

    [Fact]
    public void A_zero_progress_interval_sends_every_update_and_is_valid() => Assert.Null(Problem(o => o.ProgressInterval = TimeSpan.Zero));

    [Fact]
    public void A_tiny_client_buffer_is_refused() =>
        Assert.Contains("Jobwatch:Api:Realtime:ClientBufferSize", Problem(o => o.ClientBufferSize = 1));
}
