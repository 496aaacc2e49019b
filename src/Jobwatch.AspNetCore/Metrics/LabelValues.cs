using System.Globalization;

namespace Jobwatch.AspNetCore.Metrics;

/// <summary>
/// One series' label values in the family's label order, held inline (up to <see cref="MaxLabels"/>) so that
/// finding a series for a measurement allocates nothing.
/// </summary>
internal readonly struct LabelValues : IEquatable<LabelValues>, IComparable<LabelValues>
{
    public const int MaxLabels = 4;

    private readonly string? _v0, _v1, _v2, _v3;

    public LabelValues(int count, string? v0, string? v1, string? v2, string? v3)
    {
        Count = count;
        (_v0, _v1, _v2, _v3) = (v0, v1, v2, v3);
    }

    public int Count { get; }

    public string this[int index] => (index switch { 0 => _v0, 1 => _v1, 2 => _v2, 3 => _v3, _ => null }) ?? "";

    /// <summary>
    /// The values of <paramref name="tags"/> in <paramref name="names"/> order. Instruments pass their tags in one
    /// fixed order, so that is checked first; other orders are matched by key, a missing tag reads as "".
    /// </summary>
    public static LabelValues From(string[] names, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Span<string?> values = [null, null, null, null];
        var inOrder = tags.Length == names.Length;
        for (var i = 0; inOrder && i < tags.Length; i++)
        {
            if (!string.Equals(tags[i].Key, names[i], StringComparison.Ordinal))
            {
                inOrder = false;
                break;
            }
            values[i] = Text(tags[i].Value);
        }
        if (!inOrder)
        {
            for (var i = 0; i < names.Length; i++)
            {
                values[i] = "";
                foreach (var tag in tags)
                {
                    if (string.Equals(tag.Key, names[i], StringComparison.Ordinal))
                    {
                        values[i] = Text(tag.Value);
                        break;
                    }
                }
            }
        }
        return new LabelValues(names.Length, values[0], values[1], values[2], values[3]);
    }

    private static string Text(object? value) => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    public bool Equals(LabelValues other) =>
        Count == other.Count
        && string.Equals(_v0, other._v0, StringComparison.Ordinal)
        && string.Equals(_v1, other._v1, StringComparison.Ordinal)
        && string.Equals(_v2, other._v2, StringComparison.Ordinal)
        && string.Equals(_v3, other._v3, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is LabelValues other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Count, _v0, _v1, _v2, _v3);

    public int CompareTo(LabelValues other)
    {
        for (var i = 0; i < Math.Min(Count, other.Count); i++)
        {
            var c = string.CompareOrdinal(this[i], other[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return Count.CompareTo(other.Count);
    }
}
