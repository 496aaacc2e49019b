namespace Jobwatch.Cli.Rendering;

/// <summary>Where a view is drawn: with or without colors, and how many columns it may use.</summary>
public sealed record Surface(Ansi Ansi, int Width)
{
    public static Surface Plain { get; } = new(Ansi.Plain, int.MaxValue);
}
