using System.Text;

namespace Jobwatch.Cli.Tests.Watch;

/// <summary>
/// A minimal terminal screen: replays what a program wrote to its terminal (text, CR/LF, cursor positioning, erase
/// in line/display; colors and modes are ignored) onto a grid of rows × columns, so a test can read the screen as a
/// person would see it after any number of in-place redraws.
/// </summary>
public sealed class VirtualTerminal(int rows, int columns)
{
    private readonly char[][] _cells = Enumerable.Range(0, rows).Select(_ => Blank(columns)).ToArray();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _escape = new();
    private int _row, _column;
    private bool _inEscape, _pendingWrap;

    /// <summary>How often the program cleared the whole screen (ESC[2J): a flickering redraw does it every frame.</summary>
    public int FullClears { get; private set; }

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
        _utf8.GetChars(bytes, chars, flush: false);
        foreach (var ch in chars)
        {
            Put(ch);
        }
    }

    /// <summary>The screen's rows, trailing blanks trimmed.</summary>
    public string[] Rows() => _cells.Select(r => new string(r).TrimEnd()).ToArray();

    public string Text() => string.Join('\n', Rows()).TrimEnd('\n');

    private void Put(char ch)
    {
        if (_inEscape)
        {
            Escape(ch);
            return;
        }
        switch (ch)
        {
            case '\u001b':
                _inEscape = true;
                _escape.Clear();
                return;
            case '\r':
                _column = 0;
                _pendingWrap = false;
                return;
            case '\n':
                LineFeed();
                return;
            case '\b':
                _column = Math.Max(0, _column - 1);
                return;
        }
        if (char.IsControl(ch))
        {
            return;
        }
        if (_pendingWrap)
        {
            _column = 0;
            LineFeed();
        }
        _cells[_row][_column] = ch;
        if (_column == columns - 1)
        {
            _pendingWrap = true;
        }
        else
        {
            _column++;
        }
    }

    private void LineFeed()
    {
        _pendingWrap = false;
        if (_row < rows - 1)
        {
            _row++;
            return;
        }
        // Scroll up one line.
        for (var r = 0; r < rows - 1; r++)
        {
            _cells[r] = _cells[r + 1];
        }
        _cells[rows - 1] = Blank(columns);
    }

    private void Escape(char ch)
    {
        _escape.Append(ch);
        if (_escape.Length == 1 && ch != '[')
        {
            _inEscape = false; // a two-character escape (ESC 7, ESC =, …): nothing to draw
            return;
        }
        if (_escape.Length == 1 || ch < '@' || ch > '~')
        {
            return; // '[' or a parameter byte: the sequence goes on
        }
        _inEscape = false;
        var body = _escape.ToString(1, _escape.Length - 2);
        if (body.StartsWith('?'))
        {
            return; // private modes: cursor visibility, alternate screen
        }
        var args = body.Split(';').Select(p => int.TryParse(p, out var n) ? n : 0).ToArray();
        int Arg(int i, int fallback) => i < args.Length && args[i] > 0 ? args[i] : fallback;
        switch (ch)
        {
            case 'H' or 'f':
                _row = Math.Clamp(Arg(0, 1) - 1, 0, rows - 1);
                _column = Math.Clamp(Arg(1, 1) - 1, 0, columns - 1);
                _pendingWrap = false;
                break;
            case 'K':
                var mode = args.Length > 0 ? args[0] : 0;
                var (from, to) = mode switch { 1 => (0, _column + 1), 2 => (0, columns), _ => (_column, columns) };
                Array.Fill(_cells[_row], ' ', from, Math.Min(to, columns) - from);
                break;
            case 'J':
                var erase = args.Length > 0 ? args[0] : 0;
                if (erase == 2 || erase == 3)
                {
                    FullClears++;
                    foreach (var r in _cells)
                    {
                        Array.Fill(r, ' ');
                    }
                }
                else if (erase == 0)
                {
                    Array.Fill(_cells[_row], ' ', _column, columns - _column);
                    for (var r = _row + 1; r < rows; r++)
                    {
                        Array.Fill(_cells[r], ' ');
                    }
                }
                break;
            case 'A':
                _row = Math.Max(0, _row - Arg(0, 1));
                break;
            case 'B':
                _row = Math.Min(rows - 1, _row + Arg(0, 1));
                break;
            case 'C':
                _column = Math.Min(columns - 1, _column + Arg(0, 1));
                break;
            case 'D':
                _column = Math.Max(0, _column - Arg(0, 1));
                break;
        }
    }

    private static char[] Blank(int columns) => Enumerable.Repeat(' ', columns).ToArray();
}
