using Jobwatch.Handlers;

namespace Jobwatch.UnitTests.Handlers;

public class JobDefinitionRegistryTests
{
    [Fact]
    public void A_job_name_registered_twice_is_refused_naming_both_handlers()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new JobDefinitionRegistry(
        [
            Definitions.Of<SyncHandler, SyncArgs>("tick_sync"),
            Definitions.Of<OtherSyncHandler, SyncArgs>("tick_sync"),
        ]));
        Assert.Contains("'tick_sync'", ex.Message);
        Assert.Contains(nameof(SyncHandler), ex.Message);
        Assert.Contains(nameof(OtherSyncHandler), ex.Message);
    }

    [Fact]
    public void Names_are_case_sensitive()
    {
        var registry = new JobDefinitionRegistry([Definitions.Of<SyncHandler, SyncArgs>("sync"), Definitions.Of<SyncHandler, SyncArgs>("SYNC")]);
        Assert.Equal(2, registry.All.Count);
    }

    [Fact]
    public void GetByArgs_finds_the_single_name_for_an_args_type()
    {
        var registry = new JobDefinitionRegistry([Definitions.Of<SyncHandler, SyncArgs>("tick_sync")]);
        Assert.Equal("tick_sync", registry.GetByArgs(typeof(SyncArgs)).Name);
    }

    [Fact]
    public void GetByArgs_with_no_registration_says_how_to_register()
    {
        var registry = new JobDefinitionRegistry([Definitions.Of<SyncHandler, SyncArgs>("tick_sync")]);
        var ex = Assert.Throws<InvalidOperationException>(() => registry.GetByArgs(typeof(MailArgs)));
        Assert.Contains(nameof(MailArgs), ex.Message);
        Assert.Contains("AddHandler", ex.Message);
    }

    [Fact]
    public void GetByArgs_with_several_names_lists_them_and_says_to_enqueue_by_name()
    {
        var registry = new JobDefinitionRegistry(
        [
            Definitions.Of<SyncHandler, SyncArgs>("high_priority_tick_sync"),
            Definitions.Of<SyncHandler, SyncArgs>("low_priority_tick_sync"),
        ]);
        var ex = Assert.Throws<InvalidOperationException>(() => registry.GetByArgs(typeof(SyncArgs)));
        Assert.Contains("high_priority_tick_sync", ex.Message);
        Assert.Contains("low_priority_tick_sync", ex.Message);
        Assert.Contains("by name", ex.Message);
    }

    [Fact]
    public void An_unknown_name_lists_the_registered_ones()
    {
        var registry = new JobDefinitionRegistry([Definitions.Of<SyncHandler, SyncArgs>("b_sync"), Definitions.Of<SyncHandler, SyncArgs>("a_sync")]);
        var ex = Assert.Throws<UnknownJobNameException>(() => registry.Get("c_sync"));
        Assert.Equal("c_sync", ex.JobName);
        Assert.Contains("a_sync, b_sync", ex.Message);
    }

    [Fact]
    public void Queues_are_the_distinct_queues_of_the_handlers_and_type_defaults_to_the_name()
    {
        var registry = new JobDefinitionRegistry(
        [
            Definitions.Of<SyncHandler, SyncArgs>("a", o => o.Queue = "q1"),
            Definitions.Of<SyncHandler, SyncArgs>("b", o => { o.Queue = "q1"; o.Type = "sync"; }),
            Definitions.Of<SyncHandler, SyncArgs>("c", o => o.Queue = "q2"),
        ]);
        Assert.Equal(["q1", "q2"], registry.Queues.Order());
        Assert.Equal("a", registry.Get("a").Type);
        Assert.Equal("sync", registry.Get("b").Type);
    }
}
