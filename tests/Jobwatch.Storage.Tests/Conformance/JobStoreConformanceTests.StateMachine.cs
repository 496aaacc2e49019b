using Jobwatch.Model;

namespace Jobwatch.Storage.Tests.Conformance;

// The state table of JobStateMachine, checked against what the store actually does: every allowed
// transition lands where the table says, and every forbidden one is refused and changes nothing.
public abstract partial class JobStoreConformanceTests
{
    /// <summary>Every entry of <see cref="JobStateMachine"/>: a new entry fails until the suite can drive it.</summary>
    public static TheoryData<JobState?, JobTransition> AllowedTransitions()
    {
        var data = new TheoryData<JobState?, JobTransition>();
        foreach (var (from, transition, _) in JobStateMachine.All())
            data.Add(from, transition);
        return data;
    }

    private static readonly JobTransition[] StoreDrivenTransitions =
    [
        JobTransition.RunAtReached, JobTransition.Fetch, JobTransition.Succeed, JobTransition.FailWithAttemptsLeft,
        JobTransition.FailFinally, JobTransition.LeaseExpired, JobTransition.LeaseExpiredTooOften, JobTransition.Release,
        JobTransition.Cancel, JobTransition.Retry,
    ];

    /// <summary>Every (state, transition) the table forbids, for the transitions a stored job can be offered.</summary>
    public static TheoryData<JobState, JobTransition> ForbiddenTransitions()
    {
        var data = new TheoryData<JobState, JobTransition>();
        foreach (var transition in StoreDrivenTransitions)
            foreach (var state in Enum.GetValues<JobState>())
                if (!JobStateMachine.IsAllowed(state, transition))
                    data.Add(state, transition);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public async Task StateMachine_AllowedTransitionLandsWhereTheTableSays(JobState? from, JobTransition transition)
    {
        var store = await CreateStoreAsync();
        var expected = JobStateMachine.Next(from, transition);
        Assert.NotNull(expected);

        long id;
        if (from is null)
        {
            id = transition switch
            {
                JobTransition.EnqueueNow => await InsertAsync(store, NewJob(runAt: T0), T0),
                JobTransition.EnqueueLater => await InsertAsync(store, NewJob(runAt: At(1)), T0),
                JobTransition.ExternalStart => (await store.RunStartAsync(NewRun())).Id,
                _ => throw new InvalidOperationException($"The suite cannot drive {transition} from a new job."),
            };
        }
        else
        {
            var job = await InsertInStateAsync(store, from.Value);
            Assert.True(await ApplyTransitionAsync(store, job, transition), $"The store refused {from} --{transition}-->.");
            id = job.Id;
        }

        Assert.Equal(expected, (await GetAsync(store, id)).State);
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public async Task StateMachine_ForbiddenTransitionIsRefused(JobState from, JobTransition transition)
    {
        var store = await CreateStoreAsync();
        var job = await InsertInStateAsync(store, from);

        Assert.False(await ApplyTransitionAsync(store, job, transition), $"The store performed the forbidden {from} --{transition}-->.");

        AssertUnchanged(job, await GetAsync(store, job.Id));
    }

    /// <summary>
    /// Creates a job (max 3 attempts) in <paramref name="state"/>, through the store's own operations.
    /// An active job is leased by <see cref="Worker1"/> until At(30).
    /// </summary>
    protected static async Task<JobRecord> InsertInStateAsync(IJobStore store, JobState state, JobInsertParams? job = null)
    {
        job ??= NewJob(maxAttempts: 3);
        var created = state switch
        {
            JobState.Waiting => await GetAsync(store, await InsertAsync(store, job with { RunAt = T0 }, T0)),
            JobState.Delayed => await GetAsync(store, await InsertAsync(store, job with { RunAt = At(60) }, T0)),
            JobState.Active => await InsertActiveAsync(store, job),
            JobState.Completed => await InsertCompletedAsync(store, job),
            JobState.Failed => await InsertFailedAsync(store, job),
            JobState.Cancelled => await InsertCancelledAsync(store, job),
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        var stored = await GetAsync(store, created.Id);
        Assert.Equal(state, stored.State);
        return stored;
    }

    /// <summary>
    /// Offers <paramref name="transition"/> to the job the way the engine or an operator would, an hour
    /// after <see cref="T0"/> (so every delay is due and every lease expired). True when the store says it did it.
    /// </summary>
    private static async Task<bool> ApplyTransitionAsync(IJobStore store, JobRecord job, JobTransition transition)
    {
        var now = At(3600);
        var worker = job.WorkerId ?? Worker1;
        switch (transition)
        {
            case JobTransition.RunAtReached:
                return await store.JobPromoteDueAsync(new JobPromoteParams(now)) == 1;
            case JobTransition.Fetch:
                return (await store.JobFetchAvailableAsync(Fetch(job.Queue, 10, Worker2, now))).Any(j => j.Id == job.Id);
            case JobTransition.Succeed:
                return await FinishOneAsync(JobFinish.Complete(job.Id, worker, job.Attempt, 200, "SUCCESS", null, null, now));
            case JobTransition.FailWithAttemptsLeft:
                return await FinishOneAsync(JobFinish.Retry(job.Id, worker, job.Attempt, 500, "ERROR", "e", null, now.AddHours(1), null, now));
            case JobTransition.FailFinally:
                return await FinishOneAsync(JobFinish.DeadLetter(job.Id, worker, job.Attempt, 500, "ERROR", "e", null, null, now));
            case JobTransition.Release:
                return await FinishOneAsync(JobFinish.Release(job.Id, worker, job.Attempt, null, now));
            case JobTransition.LeaseExpired:
                return (await store.JobRescueExpiredAsync(Rescue(now, maxStalledCount: 5)))
                    .Any(r => r.Job.Id == job.Id && r.Outcome == RescueOutcome.Requeued);
            case JobTransition.LeaseExpiredTooOften:
                return (await store.JobRescueExpiredAsync(Rescue(now, maxStalledCount: 0)))
                    .Any(r => r.Job.Id == job.Id && r.Outcome == RescueOutcome.DeadLettered);
            case JobTransition.Cancel:
                return (await store.JobCancelAsync(new JobCancelParams(job.Id, now))).Status == JobActionStatus.Done;
            case JobTransition.Retry:
                return (await store.JobRetryAsync(new JobRetryParams(job.Id, now))).Status == JobActionStatus.Done;
            default:
                throw new InvalidOperationException($"The suite cannot drive {transition} on a stored job.");
        }

        async Task<bool> FinishOneAsync(JobFinish finish) =>
            (await store.JobFinishManyAsync(new JobFinishManyParams([finish], now))).Contains(job.Id);
    }
}
