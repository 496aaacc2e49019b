using System.Collections.Concurrent;

namespace Jobwatch.Runs;

/// <summary>
/// The live runs this process holds, by id, so a stateless caller (an HTTP request) can find the run it reports on.
/// A run leaves when it is completed or failed, or when it is found to have ended without its holder noticing
/// (stalled, cancelled or deleted): see <see cref="RunReporter.FindAsync"/>.
/// </summary>
internal sealed class RunRegistry
{
    private readonly ConcurrentDictionary<long, JobRun> _runs = new();

    public int Count => _runs.Count;

    public void Add(JobRun run) => _runs[run.Id] = run;

    public bool TryGet(long id, out JobRun run) => _runs.TryGetValue(id, out run!);

    /// <summary>Removes this run (not a successor registered under the same id).</summary>
    public bool Release(JobRun run) => _runs.TryRemove(new KeyValuePair<long, JobRun>(run.Id, run));

    /// <summary>Held runs whose lease has run out: the rescuer has marked them stalled, or is about to.</summary>
    public IReadOnlyList<JobRun> Expired(DateTimeOffset now, int max) =>
        _runs.Values.Where(r => !r.IsFinished && r.LeaseUntil < now).Take(max).ToArray();
}
