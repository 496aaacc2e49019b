using System.Collections;

namespace Jobwatch.Engine;

/// <summary>
/// The fields every log line about a job carries (JobId, JobName, JobType, Queue, Attempt, Phase),
/// with a readable <see cref="ToString"/>: the JSON console writes it as the scope's "Message".
/// </summary>
/// <remarks>
/// <para>Phase is "processing" here: it is what a handler's own lines (logged through <c>JobContext.Logger</c>)
/// report. The engine's lines name their phase in the message (started, completed, failed…), and a line's own
/// field overrides its scope's in structured loggers, so those keep theirs.</para>
/// <para>A scope is pushed for every job, but its fields are read only when a log line is written
/// with scopes; so they are made on demand rather than boxed and stored up front.</para>
/// </remarks>
public sealed class JobLogScope(long jobId, string jobName, string jobType, string queue, int attempt) : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The phase of a line logged while the handler runs (seed 002: started / processing / completed / failed).</summary>
    public const string ProcessingPhase = "processing";

    public int Count => 6;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("JobId", jobId),
        1 => new("JobName", jobName),
        2 => new("JobType", jobType),
        3 => new("Queue", queue),
        4 => new("Attempt", attempt),
        5 => new("Phase", ProcessingPhase),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "A job log scope has 6 fields (0–5)."),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    public override string ToString() => string.Join(" ", this.Select(f => $"{f.Key}:{f.Value}"));
}
