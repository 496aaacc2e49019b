using Jobwatch.Client;
using Jobwatch.Handlers;
using Jobwatch.UnitTests.Handlers;

namespace Jobwatch.UnitTests.Client;

public class JobRequestValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly JobDefinitionRegistry Registry = new(
    [
        Definitions.Of<SyncHandler, SyncArgs>("tick_sync", o =>
        {
            o.Queue = "ticks";
            o.MaxAttempts = 5;
            o.Priority = 2;
            o.Timeout = TimeSpan.FromSeconds(30);
            o.Type = "sync";
        }),
    ]);

    private static Jobwatch.Storage.JobInsertParams Insert(object? args = null, EnqueueOptions? options = null) =>
        JobRequestValidator.ToInsert(new JobEnqueueRequest("tick_sync", args ?? new SyncArgs("eu"), options), Registry, Now, "00-trace");

    [Theory]
    [InlineData("default")]
    [InlineData("OSINT_Characters")]
    [InlineData("a-b.c:d_9")]
    public void Valid_queue_names_pass(string queue)
    {
        JobRequestValidator.ValidateQueueName(queue);
        Assert.Equal(queue, Insert(options: new EnqueueOptions { Queue = queue }).Queue);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/queue")]
    [InlineData("émails")]
    public void Invalid_queue_names_are_refused_with_the_rule(string queue)
    {
        var ex = Assert.Throws<ArgumentException>(() => Insert(options: new EnqueueOptions { Queue = queue }));
        Assert.Contains($"'{queue}'", ex.Message);
        Assert.Contains("letters, digits", ex.Message);
    }

    [Fact]
    public void Queue_names_longer_than_the_limit_are_refused()
    {
        JobRequestValidator.ValidateQueueName(new string('q', JobRequestValidator.MaxNameLength));
        Assert.Throws<ArgumentException>(() => JobRequestValidator.ValidateQueueName(new string('q', JobRequestValidator.MaxNameLength + 1)));
    }

    [Fact]
    public void Delay_and_RunAt_together_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Insert(options: new EnqueueOptions { Delay = TimeSpan.FromMinutes(1), RunAt = Now.AddHours(1) }));
        Assert.Contains("Delay or RunAt", ex.Message);
    }

    [Fact]
    public void A_negative_delay_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Insert(options: new EnqueueOptions { Delay = TimeSpan.FromSeconds(-1) }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void MaxAttempts_below_one_is_refused(int maxAttempts)
    {
        var ex = Assert.Throws<ArgumentException>(() => Insert(options: new EnqueueOptions { MaxAttempts = maxAttempts }));
        Assert.Contains("MaxAttempts", ex.Message);
        Assert.Contains(maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void A_non_positive_timeout_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Insert(options: new EnqueueOptions { Timeout = TimeSpan.Zero }));
    }

    [Fact]
    public void Args_given_as_an_invalid_json_string_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Insert(args: "{not json"));
        Assert.Contains("args", ex.Message);
        Assert.Contains("not valid JSON", ex.Message);
    }

    [Fact]
    public void Metadata_given_as_an_invalid_json_string_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Insert(options: new EnqueueOptions { Metadata = "nope" }));
        Assert.Contains("metadata", ex.Message);
    }

    [Fact]
    public void A_valid_json_string_is_kept_as_is_and_objects_are_serialised_in_camel_case()
    {
        Assert.Equal("{\"region\": \"us\"}", Insert(args: "{\"region\": \"us\"}").Payload);
        Assert.Equal("{\"region\":\"eu\"}", Insert().Payload);
        Assert.Equal("{\"priority\":\"high\"}", Insert(options: new EnqueueOptions { Metadata = new { Priority = "high" } }).Metadata);
    }

    [Fact]
    public void Unset_options_take_the_handlers_defaults()
    {
        var insert = Insert();
        Assert.Equal("ticks", insert.Queue);
        Assert.Equal("tick_sync", insert.Name);
        Assert.Equal("sync", insert.Type);
        Assert.Equal(5, insert.MaxAttempts);
        Assert.Equal(2, insert.Priority);
        Assert.Equal(30_000, insert.TimeoutMs);
        Assert.Equal(Now, insert.RunAt);
        Assert.Equal("00-trace", insert.TraceParent);
        Assert.Null(insert.CreatedBy);
    }

    [Fact]
    public void Given_options_override_the_defaults()
    {
        var insert = Insert(options: new EnqueueOptions
        {
            Delay = TimeSpan.FromMinutes(5),
            MaxAttempts = 1,
            Priority = -1,
            Timeout = TimeSpan.FromSeconds(2),
            CreatedBy = "OSINT-GUILD-ROSTER",
        });
        Assert.Equal(Now.AddMinutes(5), insert.RunAt);
        Assert.Equal(1, insert.MaxAttempts);
        Assert.Equal(-1, insert.Priority);
        Assert.Equal(2000, insert.TimeoutMs);
        Assert.Equal("OSINT-GUILD-ROSTER", insert.CreatedBy);
        Assert.Equal(Now.AddDays(1), Insert(options: new EnqueueOptions { RunAt = Now.AddDays(1) }).RunAt);
    }

    [Fact]
    public void An_unknown_job_name_is_refused()
    {
        Assert.Throws<UnknownJobNameException>(() => JobRequestValidator.ToInsert(new JobEnqueueRequest("nope", null), Registry, Now, null));
    }
}
