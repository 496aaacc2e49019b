using System.Collections;

namespace Jobwatch.Engine;

/// <summary>
/// The fields every log line about a job carries (JobId, JobName, JobType, Queue, Attempt),
/// with a readable <see cref="ToString"/>: the JSON console writes it as the scope's "Message".
/// </summary>
public sealed class JobLogScope(long jobId, string jobName, string jobType, string queue, int attempt) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _fields =
    [
        new("JobId", jobId), new("JobName", jobName), new("JobType", jobType), new("Queue", queue), new("Attempt", attempt),
    ];

    public int Count => _fields.Length;
    public KeyValuePair<string, object?> this[int index] => _fields[index];
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_fields).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    public override string ToString() => string.Join(" ", _fields.Select(f => $"{f.Key}:{f.Value}"));
}
