using System.Globalization;

namespace Jobwatch.Cli.Rendering;

/// <summary><c>██████████░░░░░░░░░░  53.5%</c>: a bar of whole cells and the percentage with one decimal.</summary>
public static class ProgressBar
{
    public const int DefaultWidth = 20;

    public static Cell Render(double? percent, int width = DefaultWidth)
    {
        if (percent is not { } p || !double.IsFinite(p))
        {
            // A job that counts no total has no fraction done; say so instead of drawing an empty bar.
            return new Cell(new string('·', width) + "     ?", Style.Dim);
        }
        p = Math.Clamp(p, 0, 100);
        var filled = (int)Math.Round(p / 100 * width, MidpointRounding.AwayFromZero);
        var text = new string('█', filled) + new string('░', width - filled) + " " + p.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(5) + "%";
        return new Cell(text, p >= 100 ? Style.Green : Style.Cyan);
    }
}
