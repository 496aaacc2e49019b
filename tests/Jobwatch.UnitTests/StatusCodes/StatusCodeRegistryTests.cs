using Jobwatch.StatusCodes;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.UnitTests.StatusCodes;

public class StatusCodeRegistryTests
{
    [Theory]
    [InlineData(100, "PENDING", false)]
    [InlineData(200, "SUCCESS", false)]
    [InlineData(404, "NOT_FOUND", false)]
    [InlineData(408, "TIMEOUT", true)]
    [InlineData(429, "RATE_LIMITED", true)]
    [InlineData(500, "INTERNAL_ERROR", true)]
    [InlineData(503, "STALLED", true)]
    public void Defaults_are_present_with_their_labels(int code, string label, bool retryable)
    {
        var registry = new StatusCodeRegistry();
        Assert.True(registry.TryGet(code, out var d));
        Assert.Equal(label, d.Label);
        Assert.Equal(retryable, d.Retryable);
        Assert.False(string.IsNullOrWhiteSpace(d.Description));
    }

    [Fact]
    public void Application_codes_are_registered_next_to_the_defaults()
    {
        var registry = new StatusCodeRegistry([new StatusCodeDefinition(470, "NOT_EU_REGION", "Skipped outside the EU", false, "osint")]);
        var d = registry.Get(470);
        Assert.Equal("NOT_EU_REGION", d.Label);
        Assert.Equal("osint", d.RegisteredBy);
        Assert.Contains(registry.All, c => c.Code == 200);
        Assert.Equal(registry.All.Select(c => c.Code).Order(), registry.All.Select(c => c.Code));
    }

    [Fact]
    public void Registering_one_code_twice_names_both_labels_and_both_registrants()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new StatusCodeRegistry(
        [
            new StatusCodeDefinition(470, "NOT_EU_REGION", "", false, "guild-roster"),
            new StatusCodeDefinition(470, "CHARACTER_NOT_FOUND", "", false, "character-sync"),
        ]));
        Assert.Contains("470", ex.Message);
        Assert.Contains("NOT_EU_REGION", ex.Message);
        Assert.Contains("CHARACTER_NOT_FOUND", ex.Message);
        Assert.Contains("guild-roster", ex.Message);
        Assert.Contains("character-sync", ex.Message);
    }

    [Fact]
    public void Registering_one_code_twice_through_the_builder_fails_when_the_registry_is_built()
    {
        var services = new ServiceCollection();
        services.AddJobwatch().AddStatusCode(470, "A", registeredBy: "first").AddStatusCode(470, "B", registeredBy: "second");
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<StatusCodeRegistry>());
        Assert.Contains("first", ex.Message);
        Assert.Contains("second", ex.Message);
    }

    [Fact]
    public void A_built_in_code_may_be_overridden_once()
    {
        var registry = new StatusCodeRegistry([new StatusCodeDefinition(429, "THROTTLED", "Upstream throttled us", Retryable: false, "app")]);
        var d = registry.Get(429);
        Assert.Equal("THROTTLED", d.Label);
        Assert.False(d.Retryable);
    }

    [Fact]
    public void Overriding_a_built_in_code_twice_is_a_duplicate()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new StatusCodeRegistry(
        [
            new StatusCodeDefinition(429, "THROTTLED", "", true, "a"),
            new StatusCodeDefinition(429, "SLOW_DOWN", "", true, "b"),
        ]));
        Assert.Contains("THROTTLED", ex.Message);
        Assert.Contains("SLOW_DOWN", ex.Message);
    }

    [Theory]
    [InlineData(150, "PENDING_150")]
    [InlineData(299, "SUCCESS_299")]
    [InlineData(370, "SKIPPED_370")]
    [InlineData(418, "ERROR_418")]
    [InlineData(599, "ERROR_599")]
    public void Unregistered_codes_get_a_generic_label_and_are_not_retried(int code, string label)
    {
        var registry = new StatusCodeRegistry();
        Assert.False(registry.TryGet(code, out _));
        var d = registry.Get(code);
        Assert.Equal(label, d.Label);
        Assert.Equal(code, d.Code);
        Assert.False(d.Retryable);
    }

    [Theory]
    [InlineData(100, StatusCodeClass.Pending)]
    [InlineData(199, StatusCodeClass.Pending)]
    [InlineData(200, StatusCodeClass.Success)]
    [InlineData(299, StatusCodeClass.Success)]
    [InlineData(300, StatusCodeClass.Skipped)]
    [InlineData(399, StatusCodeClass.Skipped)]
    [InlineData(400, StatusCodeClass.Error)]
    [InlineData(499, StatusCodeClass.Error)]
    [InlineData(500, StatusCodeClass.Error)]
    [InlineData(599, StatusCodeClass.Error)]
    public void Codes_are_classed_by_range(int code, StatusCodeClass expected)
    {
        Assert.Equal(expected, StatusCodeDefinition.ClassOf(code));
        Assert.Equal(expected, new StatusCodeDefinition(code, "X", "", false).Class);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(-200)]
    public void Out_of_range_codes_throw(int code)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusCodeDefinition.ClassOf(code));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StatusCodeRegistry().Get(code));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StatusCodeRegistry([new StatusCodeDefinition(code, "BAD", "", false)]));
    }

    [Fact]
    public void A_code_needs_a_label()
    {
        var ex = Assert.Throws<ArgumentException>(() => new StatusCodeRegistry([new StatusCodeDefinition(471, " ", "", false)]));
        Assert.Contains("471", ex.Message);
    }
}
