using Jobwatch.Model;
using Jobwatch.Storage.Postgres.Internal;

namespace Jobwatch.Storage.Postgres;

public sealed partial class PostgresJobStore
{
    public async Task<IReadOnlyList<long>> JobInsertManyAsync(JobInsertManyParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        var jobs = p.Jobs;
        if (jobs.Count == 0)
        {
            return [];
        }
        if (jobs.Count == 1)
        {
            return [await InsertOneAsync(jobs[0], p.Now, ct).ConfigureAwait(false)];
        }
        // Column arrays for unnest(): one statement and one plan whatever the batch size.
        var n = jobs.Count;
        var queues = new string?[n];
        var names = new string?[n];
        var types = new string?[n];
        var payloads = new string?[n];
        var metadatas = new string?[n];
        var priorities = new int[n];
        var maxAttempts = new int[n];
        var runAts = new DateTime[n];
        var createdBys = new string?[n];
        var timeouts = new long?[n];
        var traceParents = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var job = jobs[i];
            queues[i] = job.Queue;
            names[i] = job.Name;
            types[i] = job.Type;
            payloads[i] = job.Payload;
            metadatas[i] = job.Metadata;
            priorities[i] = job.Priority;
            maxAttempts[i] = job.MaxAttempts;
            runAts[i] = CommandParameters.Utc(job.RunAt);
            createdBys[i] = job.CreatedBy;
            timeouts[i] = job.TimeoutMs;
            traceParents[i] = job.TraceParent;
        }
        await using var command = Command(SqlCatalog.JobInsertMany)
            .Set("now", p.Now)
            .Set("channel", _factory.JobsChannel)
            .Set("queues", queues)
            .Set("names", names)
            .Set("types", types)
            .Set("payloads", payloads)
            .Set("metadatas", metadatas)
            .Set("priorities", priorities)
            .Set("max_attempts", maxAttempts)
            .Set("run_ats", runAts)
            .Set("created_bys", createdBys)
            .Set("timeout_mss", timeouts)
            .Set("trace_parents", traceParents);
        var ids = await ReadIdsAsync(command, ct).ConfigureAwait(false);
        if (ids.Count != n)
        {
            throw new InvalidOperationException($"Inserting {n} jobs returned {ids.Count} ids.");
        }
        return ids;
    }

    private async Task<long> InsertOneAsync(JobInsertParams job, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = Command(SqlCatalog.JobInsertOne)
            .Set("now", now)
            .Set("channel", _factory.JobsChannel)
            .Set("queue", job.Queue)
            .Set("name", job.Name)
            .Set("type", job.Type)
            .Set("payload", job.Payload)
            .Set("metadata", job.Metadata)
            .Set("priority", job.Priority)
            .Set("max_attempts", job.MaxAttempts)
            .Set("run_at", job.RunAt)
            .Set("created_by", job.CreatedBy)
            .Set("timeout_ms", job.TimeoutMs)
            .Set("trace_parent", job.TraceParent);
        var ids = await ReadIdsAsync(command, ct).ConfigureAwait(false);
        return ids.Count == 1 ? ids[0] : throw new InvalidOperationException($"Inserting one job returned {ids.Count} ids.");
    }

    public async Task<JobRecord> RunStartAsync(RunStartParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.RunStart)
            .Set("queue", p.Queue)
            .Set("name", p.Name)
            .Set("type", p.Type)
            .Set("created_by", p.CreatedBy)
            .Set("metadata", p.Metadata)
            .Set("now", p.Now)
            .Set("lease_until", p.LeaseUntil)
            .Set("owner_id", p.OwnerId)
            .Set("total_items", p.TotalItems)
            .Set("trace_parent", p.TraceParent);
        return await JobRecordReader.ReadSingleAsync(command, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("INSERT … RETURNING returned no row.");
    }

    public async Task<JobRecord?> RunAdoptAsync(RunAdoptParams p, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        await using var command = Command(SqlCatalog.RunAdopt)
            .Set("id", p.Id)
            .Set("expected_worker_id", p.ExpectedWorkerId)
            .Set("expected_attempt", p.ExpectedAttempt)
            .Set("new_owner_id", p.NewOwnerId)
            .Set("now", p.Now)
            .Set("lease_until", p.LeaseUntil);
        return await JobRecordReader.ReadSingleAsync(command, ct).ConfigureAwait(false);
    }
}
