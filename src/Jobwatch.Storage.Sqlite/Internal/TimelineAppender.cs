using Jobwatch.Model;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>Appends <c>job_timeline</c> rows inside the transaction that made the change they record.</summary>
internal readonly struct TimelineAppender
{
    private readonly Statement _insert;

    public TimelineAppender(SqliteSession session) => _insert = session.Statement(SqlCatalog.TimelineInsert);

    /// <param name="state">The job's state after the event.</param>
    /// <param name="attempt">The attempt the event belongs to.</param>
    public void Append(long jobId, DateTimeOffset at, string kind, JobState state, int attempt,
        int? statusCode = null, string? workerId = null, string? message = null) =>
        _insert
            .Set("@job_id", jobId)
            .Set("@at", at)
            .Set("@kind", kind)
            .Set("@state", (int)state)
            .Set("@attempt", attempt)
            .Set("@status_code", statusCode)
            .Set("@worker_id", workerId)
            .Set("@message", message)
            .Execute();
}
