namespace Jobwatch.Cli.Watch;

/// <summary>For output to a file or pipe: each frame is written after the previous one, separated by a blank line, with no escape codes.</summary>
public sealed class AppendingScreen(TextWriter output) : IWatchScreen
{
    public void Draw(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
        output.WriteLine();
        output.Flush();
    }

    public void End()
    {
    }
}
