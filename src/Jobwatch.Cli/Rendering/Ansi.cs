using System.Text;

namespace Jobwatch.Cli.Rendering;

public enum Style
{
    None,
    Bold,
    Dim,
    Green,
    Yellow,
    Red,
    Cyan,
}

/// <summary>
/// Colors when writing to a terminal (and NO_COLOR is unset), plain text otherwise, so output piped to a file or
/// grep carries no escape codes. Widths are always measured on the visible text.
/// </summary>
public sealed class Ansi(bool enabled)
{
    public static readonly Ansi Plain = new(false);

    public bool Enabled { get; } = enabled;

    public string Paint(string text, Style style)
    {
        if (!Enabled || style == Style.None || text.Length == 0)
        {
            return text;
        }
        var code = style switch
        {
            Style.Bold => "1",
            Style.Dim => "2",
            Style.Green => "32",
            Style.Yellow => "33",
            Style.Red => "31",
            Style.Cyan => "36",
            _ => "0",
        };
        return $"\u001b[{code}m{text}\u001b[0m";
    }

    /// <summary>The text's visible width: escape sequences take no columns.</summary>
    public static int VisibleLength(string text)
    {
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\u001b')
            {
                i = SkipEscape(text, i);
                continue;
            }
            length++;
        }
        return length;
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="width"/> visible columns, keeping escape sequences whole (and resetting colors if one was cut off).</summary>
    public static string Truncate(string text, int width)
    {
        if (VisibleLength(text) <= width)
        {
            return text;
        }
        var sb = new StringBuilder();
        var visible = 0;
        var styled = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\u001b')
            {
                var end = SkipEscape(text, i);
                sb.Append(text, i, end - i + 1);
                styled = true;
                i = end;
                continue;
            }
            if (visible == width)
            {
                break;
            }
            sb.Append(text[i]);
            visible++;
        }
        if (styled)
        {
            sb.Append("\u001b[0m");
        }
        return sb.ToString();
    }

    /// <summary>Index of the last character of the CSI sequence starting at <paramref name="start"/>.</summary>
    private static int SkipEscape(string text, int start)
    {
        var i = start + 1;
        if (i < text.Length && text[i] == '[')
        {
            i++;
            while (i < text.Length && (text[i] < '@' || text[i] > '~'))
            {
                i++;
            }
        }
        return Math.Min(i, text.Length - 1);
    }
}
