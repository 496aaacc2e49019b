using Jobwatch.Storage;

namespace Jobwatch.Client;

/// <summary>
/// Group commit for single enqueues. A caller that finds no insert in flight writes its job at once, so a lone caller
/// pays nothing extra; callers that arrive while an insert is in flight wait together, and the insert that finishes
/// writes all of them in the next statement and commit. With many concurrent producers (web requests enqueueing one
/// job each) this turns one durable commit per job into one per round trip, which is what the database can sustain.
/// </summary>
/// <remarks>
/// A combined insert is one transaction: if it fails (the database is unreachable, say), every caller in it gets the
/// exception and none of its jobs exist. A caller cancelled while still waiting is taken out and nothing is written
/// for it; once its job is in a statement, the caller waits for the outcome, so an id is never lost.
/// </remarks>
internal sealed class InsertCombiner(IJobStore store, TimeProvider time)
{
    /// <summary>Jobs per combined statement; the rest wait for the next one.</summary>
    internal const int MaxBatch = 500;

    private readonly object _gate = new();
    private readonly List<Waiter> _waiting = [];
    private bool _inFlight;

    /// <summary>Inserts one job; returns its id and the time it was created at (the statement's time).</summary>
    public async Task<(long Id, DateTimeOffset CreatedAt)> InsertAsync(JobInsertParams job, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var waiter = new Waiter(job);
        bool lead;
        lock (_gate)
        {
            lead = !_inFlight;
            if (lead)
            {
                _inFlight = true;
            }
            else
            {
                _waiting.Add(waiter);
            }
        }
        if (lead)
        {
            await FlyAsync([waiter]).ConfigureAwait(false);
            return await waiter.Result.Task.ConfigureAwait(false);
        }
        await using (ct.Register(Withdraw, waiter).ConfigureAwait(false))
        {
            return await waiter.Result.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Takes a cancelled caller's job out if no statement has it yet; otherwise the caller gets its id.</summary>
    private void Withdraw(object? state)
    {
        var waiter = (Waiter)state!;
        bool removed;
        lock (_gate)
        {
            removed = _waiting.Remove(waiter);
        }
        if (removed)
        {
            waiter.Result.TrySetCanceled();
        }
    }

    /// <summary>
    /// Writes one batch and completes its callers, then hands the jobs that queued meanwhile to the next flight, which
    /// runs without being awaited here so the callers just completed are not held up by it.
    /// </summary>
    private async Task FlyAsync(IReadOnlyList<Waiter> batch)
    {
        try
        {
            var now = time.GetUtcNow();
            var ids = await store.JobInsertManyAsync(new JobInsertManyParams(batch.Select(w => w.Job).ToArray(), now), CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult((ids[i], now));
            }
        }
        catch (Exception ex)
        {
            foreach (var w in batch)
            {
                w.Result.TrySetException(ex);
            }
        }
        Waiter[] next;
        lock (_gate)
        {
            next = TakeNext();
            if (next.Length == 0)
            {
                _inFlight = false;
                return;
            }
        }
        _ = FlyAsync(next);
    }

    private Waiter[] TakeNext()
    {
        var take = Math.Min(_waiting.Count, MaxBatch);
        var next = _waiting.GetRange(0, take).ToArray();
        _waiting.RemoveRange(0, take);
        return next;
    }

    private sealed class Waiter(JobInsertParams job)
    {
        public JobInsertParams Job { get; } = job;
        public TaskCompletionSource<(long, DateTimeOffset)> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
