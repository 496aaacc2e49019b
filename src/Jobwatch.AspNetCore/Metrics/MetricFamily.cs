using System.Collections.Concurrent;

namespace Jobwatch.AspNetCore.Metrics;

/// <summary>
/// One Prometheus metric family (one instrument): its name, help, type and series. Label names are taken
/// from the instrument's first measurement; its later measurements map onto them.
/// </summary>
internal abstract class MetricFamily(string name, string help, string type)
{
    private readonly object _gate = new();
    private string[]? _labelNames;

    public string Name { get; } = name;
    public string Help { get; } = help;
    public string Type { get; } = type;
    public string[] LabelNames => Volatile.Read(ref _labelNames) ?? [];

    protected LabelValues Key(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = Volatile.Read(ref _labelNames) ?? Learn(tags);
        return LabelValues.From(names, tags);
    }

    protected string Render(LabelValues key) => PrometheusText.RenderLabels(LabelNames, key);

    private string[] Learn(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = new string[Math.Min(tags.Length, LabelValues.MaxLabels)];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = PrometheusText.LabelName(tags[i].Key);
        }
        lock (_gate)
        {
            return _labelNames ??= names;
        }
    }

    public abstract void Write(PrometheusText text);

    /// <summary>Series in a stable order (by their rendered labels), so scrapes and diffs read alike.</summary>
    protected static T[] Sorted<T>(ICollection<T> cells, Func<T, string> labels)
    {
        var array = cells.ToArray();
        Array.Sort(array, (a, b) => string.CompareOrdinal(labels(a), labels(b)));
        return array;
    }
}

/// <summary>A monotonic count (Counter&lt;T&gt;): one cell per series, added to without locks.</summary>
internal sealed class CounterFamily(string name, string help) : MetricFamily(name, help, "counter")
{
    private sealed class Cell(LabelValues key, string labels)
    {
        public readonly LabelValues Key = key;
        public readonly string Labels = labels;
        public long Whole;
        public double Fraction;
    }

    private readonly ConcurrentDictionary<LabelValues, Cell> _series = new();
    private Cell? _last;

    public void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Interlocked.Add(ref Series(tags).Whole, value);

    public void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        AtomicDouble.Add(ref Series(tags).Fraction, value);

    private Cell Series(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = Key(tags);
        // Measurements come in runs of one series: comparing with the last one's labels (mostly the
        // same string instances) is cheaper than hashing them.
        if (Volatile.Read(ref _last) is { } last && last.Key.Equals(key))
        {
            return last;
        }
        var cell = _series.TryGetValue(key, out var found) ? found : _series.GetOrAdd(key, k => new Cell(k, Render(k)));
        Volatile.Write(ref _last, cell);
        return cell;
    }

    public override void Write(PrometheusText text)
    {
        foreach (var cell in Sorted(_series.Values, c => c.Labels))
        {
            var fraction = Volatile.Read(ref cell.Fraction);
            if (fraction == 0)
            {
                text.Sample(Name, cell.Labels, Volatile.Read(ref cell.Whole));
            }
            else
            {
                text.Sample(Name, cell.Labels, Volatile.Read(ref cell.Whole) + fraction);
            }
        }
    }
}

/// <summary>A distribution (Histogram&lt;T&gt;) over fixed buckets: per series a count per bucket and a sum, both lock-free.</summary>
internal sealed class HistogramFamily : MetricFamily
{
    private sealed class Cell(LabelValues key, string labels, int buckets)
    {
        public readonly LabelValues Key = key;
        public readonly string Labels = labels;
        public readonly long[] Counts = new long[buckets];
        public double Sum;
    }

    private readonly double[] _bounds;
    private readonly string[] _le;
    private readonly string _sumName;
    private readonly string _countName;
    private readonly ConcurrentDictionary<LabelValues, Cell> _series = new();
    private Cell? _last;

    public HistogramFamily(string name, string help, double[] bounds) : base(name, help, "histogram")
    {
        _bounds = bounds;
        _le = [.. bounds.Select(PrometheusText.Bound), PrometheusText.Bound(double.PositiveInfinity)];
        _sumName = name + "_sum";
        _countName = name + "_count";
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = Key(tags);
        var cell = Volatile.Read(ref _last);
        if (cell is null || !cell.Key.Equals(key))
        {
            cell = _series.TryGetValue(key, out var found) ? found : _series.GetOrAdd(key, k => new Cell(k, Render(k), _bounds.Length + 1));
            Volatile.Write(ref _last, cell);
        }
        // A bucket's bound is inclusive (Prometheus "le"); past the last bound is +Inf.
        var index = Array.BinarySearch(_bounds, value);
        Interlocked.Increment(ref cell.Counts[index >= 0 ? index : ~index]);
        AtomicDouble.Add(ref cell.Sum, value);
    }

    public override void Write(PrometheusText text)
    {
        foreach (var cell in Sorted(_series.Values, c => c.Labels))
        {
            // The count is the buckets' total, so bucket lines and count always agree.
            long cumulative = 0;
            for (var i = 0; i < _le.Length; i++)
            {
                cumulative += Volatile.Read(ref cell.Counts[i]);
                text.Bucket(Name, cell.Labels, _le[i], cumulative);
            }
            text.Sample(_sumName, cell.Labels, Volatile.Read(ref cell.Sum));
            text.Sample(_countName, cell.Labels, cumulative);
        }
    }
}

/// <summary>
/// Values observed at collection (observable gauges, and observable counters, which report totals): each
/// collection replaces the last. Two observations of one series in a collection are added up. Used only
/// from within a collection, which the exporter runs one at a time.
/// </summary>
internal sealed class SnapshotFamily(string name, string help, string type) : MetricFamily(name, help, type)
{
    private Dictionary<LabelValues, double> _collecting = [];
    // Rendered labels of the series seen in the last collection, reused while they keep appearing.
    private Dictionary<LabelValues, string> _rendered = [];
    private (string Labels, double Value)[] _last = [];

    public void Observe(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = Key(tags);
        _collecting[key] = _collecting.TryGetValue(key, out var before) ? before + value : value;
    }

    public void EndCollection()
    {
        var rendered = new Dictionary<LabelValues, string>(_collecting.Count);
        var last = new (string Labels, double Value)[_collecting.Count];
        var i = 0;
        foreach (var (key, value) in _collecting)
        {
            var labels = _rendered.TryGetValue(key, out var known) ? known : Render(key);
            rendered[key] = labels;
            last[i++] = (labels, value);
        }
        Array.Sort(last, (a, b) => string.CompareOrdinal(a.Labels, b.Labels));
        (_rendered, _last) = (rendered, last);
        _collecting = new Dictionary<LabelValues, double>(last.Length);
    }

    public override void Write(PrometheusText text)
    {
        foreach (var (labels, value) in _last)
        {
            text.Sample(Name, labels, value);
        }
    }
}

internal static class AtomicDouble
{
    public static void Add(ref double target, double value)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }
            current = seen;
        }
    }
}
