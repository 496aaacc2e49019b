using Jobwatch.Model;

namespace Jobwatch.UnitTests.Model;

public class JobStateMachineTests
{
    // DESIGN.md's state table, row by row ("waiting, delayed, active | cancel" expanded per source).
    public static TheoryData<JobState?, JobTransition, JobState> DesignRows => new()
    {
        { null, JobTransition.EnqueueNow, JobState.Waiting },
        { null, JobTransition.EnqueueLater, JobState.Delayed },
        { JobState.Delayed, JobTransition.RunAtReached, JobState.Waiting },
        { JobState.Waiting, JobTransition.Fetch, JobState.Active },
        { null, JobTransition.ExternalStart, JobState.Active },
        { JobState.Active, JobTransition.Succeed, JobState.Completed },
        { JobState.Active, JobTransition.FailWithAttemptsLeft, JobState.Delayed },
        { JobState.Active, JobTransition.FailFinally, JobState.Failed },
        { JobState.Active, JobTransition.LeaseExpired, JobState.Waiting },
        { JobState.Active, JobTransition.LeaseExpiredTooOften, JobState.Failed },
        { JobState.Waiting, JobTransition.Cancel, JobState.Cancelled },
        { JobState.Delayed, JobTransition.Cancel, JobState.Cancelled },
        { JobState.Active, JobTransition.Cancel, JobState.Cancelled },
        { JobState.Failed, JobTransition.Retry, JobState.Waiting },
        { JobState.Cancelled, JobTransition.Retry, JobState.Waiting },
    };

    // Rows the code adds to the design table, each with a reason in JobStateMachine.cs.
    private static readonly (JobState?, JobTransition, JobState)[] DocumentedExtras =
    [
        (JobState.Delayed, JobTransition.Fetch, JobState.Active),
        (JobState.Active, JobTransition.Release, JobState.Waiting),
    ];

    [Theory]
    [MemberData(nameof(DesignRows))]
    public void Every_design_row_is_allowed_and_leads_to_its_state(JobState? from, JobTransition transition, JobState to)
    {
        Assert.True(JobStateMachine.IsAllowed(from, transition));
        Assert.Equal(to, JobStateMachine.Next(from, transition));
    }

    [Fact]
    public void The_table_holds_nothing_beyond_the_design_rows_and_the_documented_extras()
    {
        var expected = DesignRows.Select(r => ((JobState?)r[0], (JobTransition)r[1], (JobState)r[2]))
            .Concat(DocumentedExtras)
            .ToHashSet();
        var actual = JobStateMachine.All().ToHashSet();
        Assert.Equal(expected.OrderBy(r => r.ToString()), actual.OrderBy(r => r.ToString()));
    }

    [Theory]
    [InlineData(JobState.Completed, JobTransition.Fetch)]
    [InlineData(JobState.Failed, JobTransition.Cancel)]
    [InlineData(JobState.Completed, JobTransition.Cancel)]
    [InlineData(JobState.Cancelled, JobTransition.Cancel)]
    [InlineData(JobState.Completed, JobTransition.Retry)]
    [InlineData(JobState.Waiting, JobTransition.Retry)]
    [InlineData(JobState.Waiting, JobTransition.Succeed)]
    [InlineData(JobState.Delayed, JobTransition.Succeed)]
    [InlineData(JobState.Failed, JobTransition.Fetch)]
    [InlineData(JobState.Waiting, JobTransition.LeaseExpired)]
    [InlineData(JobState.Active, JobTransition.Fetch)]
    public void Disallowed_transitions_are_rejected(JobState from, JobTransition transition)
    {
        Assert.False(JobStateMachine.IsAllowed(from, transition));
        Assert.Null(JobStateMachine.Next(from, transition));
    }

    [Fact]
    public void A_job_not_yet_stored_can_only_be_enqueued_or_started_externally()
    {
        var allowed = Enum.GetValues<JobTransition>().Where(t => JobStateMachine.IsAllowed(null, t)).Order().ToArray();
        Assert.Equal([JobTransition.EnqueueNow, JobTransition.EnqueueLater, JobTransition.ExternalStart], allowed);
    }

    [Fact]
    public void Cancel_is_allowed_from_exactly_waiting_delayed_and_active()
    {
        Assert.Equal([JobState.Waiting, JobState.Delayed, JobState.Active], JobStateMachine.SourcesOf(JobTransition.Cancel).Order().ToArray());
    }

    [Fact]
    public void Terminal_states_leave_only_by_retry()
    {
        foreach (var state in Enum.GetValues<JobState>().Where(s => s.IsTerminal()))
        {
            var exits = Enum.GetValues<JobTransition>().Where(t => JobStateMachine.IsAllowed(state, t)).ToArray();
            Assert.All(exits, t => Assert.Equal(JobTransition.Retry, t));
        }
        Assert.False(JobStateMachine.IsAllowed(JobState.Completed, JobTransition.Retry));
    }

    [Theory]
    [InlineData(JobState.Waiting, "waiting", false)]
    [InlineData(JobState.Delayed, "delayed", false)]
    [InlineData(JobState.Active, "active", false)]
    [InlineData(JobState.Completed, "completed", true)]
    [InlineData(JobState.Failed, "failed", true)]
    [InlineData(JobState.Cancelled, "cancelled", true)]
    public void State_names_round_trip_and_terminal_states_are_known(JobState state, string name, bool terminal)
    {
        Assert.Equal(name, state.ToName());
        Assert.True(JobStateNames.TryParse(name.ToUpperInvariant(), out var parsed));
        Assert.Equal(state, parsed);
        Assert.Equal(terminal, state.IsTerminal());
    }

    [Fact]
    public void Unknown_state_names_do_not_parse()
    {
        Assert.False(JobStateNames.TryParse("running", out _));
        Assert.False(JobStateNames.TryParse(null, out _));
    }
}
