using System.Collections.Concurrent;

namespace Jobwatch.Observability;

/// <summary>
/// The latest completion per job-name label, for dead-man's-switch alerts on recurring work. Fed by this
/// process's committed completions and by the store sampler (so a restarted process does not forget, and a
/// process that runs no workers still knows). Only ever moves forward.
/// </summary>
internal sealed class LastSuccessTimes
{
    private sealed class Cell(string label)
    {
        public readonly string Label = label;
        public long UnixMilliseconds;
    }

    private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);
    private Cell? _last;

    public void Update(string jobNameLabel, DateTimeOffset at)
    {
        // Completions come in runs of one name: a string comparison spares hashing it.
        var cell = Volatile.Read(ref _last);
        if (cell is null || !string.Equals(cell.Label, jobNameLabel, StringComparison.Ordinal))
        {
            cell = _cells.GetOrAdd(jobNameLabel, static label => new Cell(label));
            Volatile.Write(ref _last, cell);
        }
        var value = at.ToUnixTimeMilliseconds();
        long current;
        while ((current = Volatile.Read(ref cell.UnixMilliseconds)) < value
               && Interlocked.CompareExchange(ref cell.UnixMilliseconds, value, current) != current)
        {
        }
    }

    /// <summary>Unix seconds per job-name label.</summary>
    public IEnumerable<KeyValuePair<string, double>> Snapshot() =>
        _cells.Select(kv => new KeyValuePair<string, double>(kv.Key, Volatile.Read(ref kv.Value.UnixMilliseconds) / 1000.0));
}
