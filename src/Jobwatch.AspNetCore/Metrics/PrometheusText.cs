using System.Buffers;
using System.Globalization;
using System.Text;

namespace Jobwatch.AspNetCore.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: a <c># HELP</c> and <c># TYPE</c> line per family,
/// then its samples, label values escaped, numbers in the invariant culture with <c>+Inf</c>/<c>NaN</c>.
/// A series' labels are rendered once (<see cref="RenderLabels"/>) and reused on every scrape.
/// </summary>
internal sealed class PrometheusText(StringBuilder output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void Family(MetricFamily family)
    {
        output.Append("# HELP ").Append(family.Name).Append(' ');
        Escape(family.Help, quotes: false);
        output.Append('\n');
        output.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
        family.Write(this);
    }

    /// <param name="labels">Rendered by <see cref="RenderLabels"/>: <c>a="x",b="y"</c>, or empty.</param>
    public void Sample(string name, string labels, double value)
    {
        output.Append(name);
        if (labels.Length > 0)
        {
            output.Append('{').Append(labels).Append('}');
        }
        output.Append(' ');
        Number(value);
        output.Append('\n');
    }

    public void Sample(string name, string labels, long value)
    {
        output.Append(name);
        if (labels.Length > 0)
        {
            output.Append('{').Append(labels).Append('}');
        }
        output.Append(' ').Append(CultureInfo.InvariantCulture, $"{value}").Append('\n');
    }

    /// <param name="le">The bucket's bound as rendered by <see cref="Bound"/>.</param>
    public void Bucket(string name, string labels, string le, long cumulative)
    {
        output.Append(name).Append("_bucket{");
        if (labels.Length > 0)
        {
            output.Append(labels).Append(',');
        }
        output.Append("le=\"").Append(le).Append("\"} ").Append(CultureInfo.InvariantCulture, $"{cumulative}").Append('\n');
    }

    private void Number(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            output.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            output.Append("-Inf");
        }
        else if (double.IsNaN(value))
        {
            output.Append("NaN");
        }
        else
        {
            output.Append(CultureInfo.InvariantCulture, $"{value:R}");
        }
    }

    private void Escape(string text, bool quotes)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => output.Append(@"\\"),
                '\n' => output.Append(@"\n"),
                '"' when quotes => output.Append("\\\""),
                _ => output.Append(c),
            };
        }
    }

    /// <summary><c>name="value",…</c> with values escaped (backslash, double quote, newline).</summary>
    public static string RenderLabels(string[] names, LabelValues values)
    {
        if (names.Length == 0)
        {
            return "";
        }
        var builder = new StringBuilder();
        var text = new PrometheusText(builder);
        for (var i = 0; i < names.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }
            builder.Append(names[i]).Append("=\"");
            text.Escape(values[i], quotes: true);
            builder.Append('"');
        }
        return builder.ToString();
    }

    /// <summary>A bucket bound as an <c>le</c> label value.</summary>
    public static string Bound(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Encodes the text as UTF-8 into <paramref name="writer"/>, chunk by chunk (no intermediate string).</summary>
    public static void CopyUtf8(StringBuilder text, IBufferWriter<byte> writer)
    {
        var encoder = Encoding.UTF8.GetEncoder();
        foreach (var chunk in text.GetChunks())
        {
            encoder.Convert(chunk.Span, writer, flush: false, out _, out _);
        }
        encoder.Convert([], writer, flush: true, out _, out _);
    }

    /// <summary>A metric name from an OpenTelemetry-style instrument: dots (and anything else not allowed) become underscores; seconds and counters get their suffixes.</summary>
    public static string MetricName(string instrumentName, string? unit, bool counter)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        if (unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }
        if (counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }
        return name;
    }

    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (c is >= '0' and <= '9' && i > 0) || (allowColon && c == ':');
            if (!ok)
            {
                chars[i] = '_';
            }
        }
        return new string(chars);
    }
}
