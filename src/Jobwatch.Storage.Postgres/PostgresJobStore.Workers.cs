using Jobwatch.Model;
using Jobwatch.Storage.Postgres.Internal;
using Npgsql;

namespace Jobwatch.Storage.Postgres;

public sealed partial class PostgresJobStore
{
    public async Task<IReadOnlyList<JobRecord>> JobFetchAvailableAsync(JobFetchParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Max <= 0)
        {
            return [];
        }
        await using var command = Command(SqlCatalog.JobFetchAvailable)
            .Set("queue", p.Queue)
            .Set("max", p.Max)
            .Set("now", p.Now)
            .Set("worker_id", p.WorkerId)
            .Set("lease_until", p.LeaseUntil);
        return await JobRecordReader.ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<long>> JobLeaseRenewManyAsync(JobLeaseRenewParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.JobIds.Count == 0)
        {
            return [];
        }
        await using var command = LeaseRenewCommand(p);
        var renewed = await ReadIdsAsync(command, ct).ConfigureAwait(false);
        renewed.Sort();
        return renewed;
    }

    /// <summary>The statement <see cref="JobLeaseRenewManyAsync"/> runs (internal so tests can EXPLAIN it).</summary>
    internal NpgsqlCommand LeaseRenewCommand(JobLeaseRenewParams p) => Command(SqlCatalog.JobLeaseRenewMany)
        .Set("ids", p.JobIds.ToArray())
        .Set("worker_id", p.WorkerId)
        .Set("lease_until", p.LeaseUntil);

    public async Task<IReadOnlyList<long>> JobProgressSaveManyAsync(JobProgressSaveManyParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Updates.Count == 0)
        {
            return [];
        }
        await using var command = ProgressSaveCommand(p);
        var saved = (await ReadIdsAsync(command, ct).ConfigureAwait(false)).ToHashSet();
        // In input order, like the ids a caller passed in.
        return p.Updates.Select(u => u.JobId).Where(saved.Remove).ToArray();
    }

    /// <summary>The statement <see cref="JobProgressSaveManyAsync"/> runs (internal so tests can EXPLAIN it).</summary>
    internal NpgsqlCommand ProgressSaveCommand(JobProgressSaveManyParams p)
    {
        // Sorted by id: statements that lock overlapping jobs then lock them in the same order.
        var updates = p.Updates.OrderBy(u => u.JobId).ToArray();
        var n = updates.Length;
        var ids = new long[n];
        var workers = new string?[n];
        var attempts = new int[n];
        var totals = new long?[n];
        var succeeded = new long?[n];
        var failed = new long?[n];
        var percents = new double?[n];
        var customs = new string?[n];
        var updatedBys = new string?[n];
        var ats = new DateTime?[n];
        var leases = new DateTime?[n];
        for (var i = 0; i < n; i++)
        {
            var u = updates[i];
            ids[i] = u.JobId;
            workers[i] = u.WorkerId;
            attempts[i] = u.Attempt;
            totals[i] = u.TotalItems;
            succeeded[i] = u.ItemsSucceeded;
            failed[i] = u.ItemsFailed;
            percents[i] = u.ReportedPercent;
            customs[i] = u.CustomProgress;
            updatedBys[i] = u.UpdatedBy;
            ats[i] = CommandParameters.Utc(u.At);
            leases[i] = CommandParameters.Utc(u.LeaseUntil);
        }
        return Command(SqlCatalog.JobProgressSaveMany)
            .Set("ids", ids)
            .Set("worker_ids", workers)
            .Set("attempts", attempts)
            .Set("total_items", totals)
            .Set("items_succeeded", succeeded)
            .Set("items_failed", failed)
            .Set("reported_percents", percents)
            .Set("custom_progresses", customs)
            .Set("updated_bys", updatedBys)
            .Set("progress_ats", ats)
            .Set("lease_untils", leases);
    }

    public async Task<IReadOnlyList<long>> JobFinishManyAsync(JobFinishManyParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Finishes.Count == 0)
        {
            return [];
        }
        await using var command = FinishCommand(p);
        var done = (await ReadIdsAsync(command, ct).ConfigureAwait(false)).ToHashSet();
        return p.Finishes.Select(f => f.JobId).Where(done.Remove).ToArray();
    }

    /// <summary>The statement <see cref="JobFinishManyAsync"/> runs (internal so tests can EXPLAIN it).</summary>
    internal NpgsqlCommand FinishCommand(JobFinishManyParams p)
    {
        var finishes = p.Finishes.OrderBy(f => f.JobId).ToArray();
        var n = finishes.Length;
        var ids = new long[n];
        var workers = new string?[n];
        var attempts = new int[n];
        var kinds = new short[n];
        var codes = new int?[n];
        var labels = new string?[n];
        var results = new string?[n];
        var errors = new string?[n];
        var stacks = new string?[n];
        var retryAts = new DateTime?[n];
        var ats = new DateTime[n];
        var totals = new long?[n];
        var succeeded = new long?[n];
        var failed = new long?[n];
        var percents = new double?[n];
        var customs = new string?[n];
        var updatedBys = new string?[n];
        var progressAts = new DateTime?[n];
        for (var i = 0; i < n; i++)
        {
            var f = finishes[i];
            if (f.Kind == JobFinishKind.Retry && f.RetryAt is null)
            {
                throw new ArgumentException($"A retry of job {f.JobId} needs RetryAt.", nameof(p));
            }
            ids[i] = f.JobId;
            workers[i] = f.WorkerId;
            attempts[i] = f.Attempt;
            kinds[i] = f.Kind switch
            {
                JobFinishKind.Complete => 0,
                JobFinishKind.Retry => 1,
                JobFinishKind.DeadLetter => 2,
                JobFinishKind.Release => 3,
                _ => throw new ArgumentOutOfRangeException(nameof(p), f.Kind, "Unknown finish kind."),
            };
            codes[i] = f.StatusCode;
            labels[i] = f.StatusLabel;
            results[i] = f.Result;
            errors[i] = f.Error;
            stacks[i] = f.ErrorStack;
            retryAts[i] = CommandParameters.Utc(f.RetryAt);
            ats[i] = CommandParameters.Utc(f.At);
            // Left null (and so unchanged by the SQL's COALESCE) when the outcome carries no progress.
            if (f.Progress is { } progress)
            {
                totals[i] = progress.TotalItems;
                succeeded[i] = progress.ItemsSucceeded;
                failed[i] = progress.ItemsFailed;
                percents[i] = progress.ReportedPercent;
                customs[i] = progress.CustomProgress;
                updatedBys[i] = progress.UpdatedBy;
                progressAts[i] = CommandParameters.Utc(progress.At);
            }
        }
        return Command(SqlCatalog.JobFinishMany)
            .Set("channel", _factory.JobsChannel)
            .Set("ids", ids)
            .Set("worker_ids", workers)
            .Set("attempts", attempts)
            .Set("kinds", kinds)
            .Set("status_codes", codes)
            .Set("status_labels", labels)
            .Set("results", results)
            .Set("errors", errors)
            .Set("error_stacks", stacks)
            .Set("retry_ats", retryAts)
            .Set("ats", ats)
            .Set("total_items", totals)
            .Set("items_succeeded", succeeded)
            .Set("items_failed", failed)
            .Set("reported_percents", percents)
            .Set("custom_progresses", customs)
            .Set("updated_bys", updatedBys)
            .Set("progress_ats", progressAts);
    }
}
