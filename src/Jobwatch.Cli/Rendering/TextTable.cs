using System.Text;

namespace Jobwatch.Cli.Rendering;

public enum Align
{
    Left,
    Right,
}

/// <summary>A column: its header, alignment, and whether it gives up width first when the terminal is narrow (names, errors).</summary>
public sealed record Column(string Header, Align Align = Align.Left, bool Flexible = false, int MinWidth = 8);

public readonly record struct Cell(string Text, Style Style = Style.None)
{
    public static implicit operator Cell(string text) => new(text);
}

/// <summary>
/// Columns aligned with two spaces between them, a header in bold, no borders: readable in a terminal, and still
/// easy to cut or grep. When the table is wider than the terminal, flexible columns are shortened with an ellipsis.
/// </summary>
public sealed class TextTable(params Column[] columns)
{
    private const string Gap = "  ";
    private readonly List<Cell[]> _rows = [];

    public int RowCount => _rows.Count;

    public void Add(params Cell[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"A row needs {columns.Length} cells, got {cells.Length}.", nameof(cells));
        }
        _rows.Add(cells.Select(c => c with { Text = OneLine(c.Text) }).ToArray());
    }

    /// <param name="maxWidth">The terminal's width; <see cref="int.MaxValue"/> when the output is not a terminal.</param>
    public IEnumerable<string> Render(Ansi ansi, int maxWidth = int.MaxValue)
    {
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Text.Length))).ToArray();
        Fit(widths, maxWidth);
        yield return ansi.Paint(Line(columns.Select(c => new Cell(c.Header)).ToArray(), widths, Ansi.Plain), Style.Bold);
        foreach (var row in _rows)
        {
            yield return Line(row, widths, ansi);
        }
    }

    private void Fit(int[] widths, int maxWidth)
    {
        var total = widths.Sum() + Gap.Length * (widths.Length - 1);
        while (total > maxWidth)
        {
            // Shrink the widest flexible column that can still give up a column.
            var candidate = -1;
            for (var i = 0; i < widths.Length; i++)
            {
                if (columns[i].Flexible && widths[i] > Math.Max(columns[i].MinWidth, columns[i].Header.Length) && (candidate < 0 || widths[i] > widths[candidate]))
                {
                    candidate = i;
                }
            }
            if (candidate < 0)
            {
                return; // nothing left to shrink: the terminal cuts the line
            }
            widths[candidate]--;
            total--;
        }
    }

    private string Line(Cell[] cells, int[] widths, Ansi ansi)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var text = Fit(cells[i].Text, widths[i]);
            var padding = new string(' ', widths[i] - text.Length);
            var last = i == cells.Length - 1;
            if (columns[i].Align == Align.Right)
            {
                sb.Append(padding).Append(ansi.Paint(text, cells[i].Style));
            }
            else
            {
                sb.Append(ansi.Paint(text, cells[i].Style));
                if (!last)
                {
                    sb.Append(padding);
                }
            }
            if (!last)
            {
                sb.Append(Gap);
            }
        }
        return sb.ToString().TrimEnd();
    }

    private static string Fit(string text, int width) => text.Length <= width ? text : width <= 1 ? text[..width] : text[..(width - 1)] + "…";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
