using System.Collections.Concurrent;

namespace Jobwatch.Observability;

/// <summary>
/// Bounds the distinct values of one label: the first <c>max</c> values seen keep their name, later ones
/// become <see cref="Other"/>. Prometheus keeps a series per label combination, so an unbounded label
/// (sources and run names come from callers) would grow memory on every scraper without limit.
/// </summary>
/// <remarks>A hit is one dictionary lookup; once full, a miss returns <see cref="Other"/> without a lock or an allocation.</remarks>
public sealed class LabelCap
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, string> _admitted = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly int _max;
    private int _count;
    // The last admitted value looked up (an admitted value is its own label): jobs come in runs of one
    // queue and name, and comparing two strings is far cheaper than hashing one.
    private string? _last;

    public LabelCap(int max, IEnumerable<string>? admitFirst = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _max = max;
        foreach (var value in admitFirst ?? [])
        {
            Label(value);
        }
    }

    /// <summary>Distinct values admitted so far.</summary>
    public int Count => Volatile.Read(ref _count);

    public string Label(string value)
    {
        if (Volatile.Read(ref _last) is { } last && string.Equals(last, value, StringComparison.Ordinal))
        {
            return last;
        }
        if (_admitted.TryGetValue(value, out var label))
        {
            Volatile.Write(ref _last, label);
            return label;
        }
        if (Volatile.Read(ref _count) >= _max)
        {
            return Other;
        }
        lock (_gate)
        {
            if (_admitted.TryGetValue(value, out label))
            {
                return label;
            }
            if (_count >= _max)
            {
                return Other;
            }
            _admitted[value] = value;
            Volatile.Write(ref _count, _count + 1);
            return value;
        }
    }
}
