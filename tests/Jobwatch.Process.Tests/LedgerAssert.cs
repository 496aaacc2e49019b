using Jobwatch.Model;

namespace Jobwatch.Process.Tests;

/// <summary>Checks that hold after any run, crash or not: the ledger is what the workers really did, the store is what Jobwatch believes.</summary>
public static class LedgerAssert
{
    /// <summary>No (job, attempt) was started twice: the store never handed one lease to two workers.</summary>
    public static void NoDoubleClaims(IReadOnlyList<LedgerEntry> ledger)
    {
        var doubles = ledger.GroupBy(e => (e.JobId, e.Attempt)).Where(g => g.Count() > 1).Take(10)
            .Select(g => $"job {g.Key.JobId} attempt {g.Key.Attempt} by pids {string.Join(",", g.Select(e => e.Pid))}")
            .ToArray();
        Assert.True(doubles.Length == 0, $"Double claims: {string.Join("; ", doubles)}");
    }

    /// <summary>
    /// Every job completed, and its final attempt (the one that completed it) is in the ledger. With a
    /// handler that never fails, every attempt but the last was lost to a stall: attempt = 1 + stalled.
    /// </summary>
    public static void AllCompletedAndAccountedFor(IReadOnlyList<JobRecord> jobs, IReadOnlyList<LedgerEntry> ledger, int expectedCount)
    {
        Assert.Equal(expectedCount, jobs.Count);
        var notCompleted = jobs.Where(j => j.State != JobState.Completed).Take(10).Select(j => $"{j.Id}:{j.State.ToName()}").ToArray();
        Assert.True(notCompleted.Length == 0, $"Jobs not completed: {string.Join(", ", notCompleted)}");

        var ran = ledger.Select(e => (e.JobId, e.Attempt)).ToHashSet();
        var unrecorded = jobs.Where(j => !ran.Contains((j.Id, j.Attempt))).Take(10).Select(j => $"{j.Id} attempt {j.Attempt}").ToArray();
        Assert.True(unrecorded.Length == 0, $"Completed jobs whose completing attempt no worker recorded: {string.Join(", ", unrecorded)}");

        var ids = jobs.Select(j => j.Id).ToHashSet();
        var unknown = ledger.Where(e => !ids.Contains(e.JobId)).Take(10).Select(e => e.JobId).ToArray();
        Assert.True(unknown.Length == 0, $"The ledger names jobs the store does not have: {string.Join(", ", unknown)}");

        var inconsistent = jobs.Where(j => j.Attempt != 1 + j.StalledCount).Take(10)
            .Select(j => $"{j.Id} (attempt {j.Attempt}, stalled {j.StalledCount})").ToArray();
        Assert.True(inconsistent.Length == 0, $"Jobs whose attempts are not 1 + their stalls: {string.Join(", ", inconsistent)}");

        var beyond = ledger.Join(jobs, e => e.JobId, j => j.Id, (e, j) => (e, j)).Where(x => x.e.Attempt > x.j.Attempt).Take(10)
            .Select(x => $"{x.j.Id} ran attempt {x.e.Attempt} but the store says {x.j.Attempt}").ToArray();
        Assert.True(beyond.Length == 0, $"Attempts ran that the store does not know of: {string.Join("; ", beyond)}");
    }
}
