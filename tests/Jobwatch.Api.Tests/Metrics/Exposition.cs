using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Jobwatch.Api.Tests.Metrics;

public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string this[string label] => Labels.TryGetValue(label, out var v) ? v : throw new KeyNotFoundException($"{Name} has no label {label}: {string.Join(",", Labels.Keys)}");
}

public sealed record Family(string Name, string Type, string Help, IReadOnlyList<Sample> Samples)
{
    /// <summary>The family's own series: for a histogram, its _count lines (one per series).</summary>
    public IEnumerable<Sample> Series => Type == "histogram" ? Samples.Where(s => s.Name == Name + "_count") : Samples;

    public double Value(params (string Label, string Value)[] labels) =>
        Series.Where(s => labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);
}

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4 for tests: every sample must follow its family's
/// HELP and TYPE lines, families appear once, samples of a family are contiguous, and label values are unescaped.
/// </summary>
public static partial class Exposition
{
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public static IReadOnlyDictionary<string, Family> Parse(string text)
    {
        var families = new Dictionary<string, (string Type, string Help, List<Sample> Samples)>(StringComparer.Ordinal);
        string? current = null;
        string? pendingHelp = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ');
                current = rest[..space];
                Assert.False(families.ContainsKey(current), $"Family {current} appears twice.");
                pendingHelp = rest[(space + 1)..].Replace(@"\n", "\n", StringComparison.Ordinal).Replace(@"\\", "\\", StringComparison.Ordinal);
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(current, parts[2]);
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                families[current!] = (parts[3], pendingHelp ?? "", []);
                continue;
            }
            Assert.False(line.StartsWith('#'), $"Unexpected comment line: {line}");
            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"Not a sample line: {line}");
            var name = m.Groups["name"].Value;
            Assert.True(current is not null && families.ContainsKey(current), $"Sample before its family's HELP/TYPE: {line}");
            var family = families[current!];
            var allowed = family.Type == "histogram" ? new[] { current + "_bucket", current + "_sum", current + "_count" } : [current!];
            Assert.True(allowed.Contains(name), $"Sample {name} inside family {current}.");
            family.Samples.Add(new Sample(name, ParseLabels(m.Groups["labels"].Value, line), ParseValue(m.Groups["value"].Value)));
        }
        return families.ToDictionary(f => f.Key, f => new Family(f.Key, f.Value.Type, f.Value.Help, f.Value.Samples), StringComparer.Ordinal);
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string> ParseLabels(string text, string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            var name = text[i..eq];
            Assert.Matches(LabelName(), name);
            Assert.True(text[eq + 1] == '"', $"Label value not quoted: {line}");
            var value = new StringBuilder();
            var j = eq + 2;
            for (; text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    value.Append(text[j] switch { 'n' => '\n', '"' => '"', '\\' => '\\', var c => throw new FormatException($"Bad escape \\{c} in {line}") });
                }
                else
                {
                    value.Append(text[j]);
                }
            }
            Assert.True(labels.TryAdd(name, value.ToString()), $"Label {name} twice: {line}");
            i = j + 1;
            if (i < text.Length)
            {
                Assert.Equal(',', text[i]);
                i++;
            }
        }
        return labels;
    }
}
