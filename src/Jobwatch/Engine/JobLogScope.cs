using System.Collections;

namespace Jobwatch.Engine;

/// <summary>
/// The fields every log line about a job carries (JobId, JobName, JobType, Queue, Attempt),
/// with a readable <see cref="ToString"/>: the JSON console writes it as the scope's "Message".
/// </summary>
/// <remarks>A scope is pushed for every job, but its fields are read only when a log line is written
/// with scopes; so they are made on demand rather than boxed and stored up front.</remarks>
public sealed class JobLogScope(long jobId, string jobName, string jobType, string queue, int attempt) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 5;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("JobId", jobId),
        1 => new("JobName", jobName),
        2 => new("JobType", jobType),
        3 => new("Queue", queue),
        4 => new("Attempt", attempt),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "A job log scope has 5 fields (0–4)."),
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
