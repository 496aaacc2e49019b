namespace Jobwatch.Cli.Watch;

/// <summary>Where watch frames go: redrawn in place on a terminal, appended one after another elsewhere.</summary>
public interface IWatchScreen
{
    void Draw(IReadOnlyList<string> lines);

    /// <summary>Leaves the terminal as it was found (cursor shown), the last frame still visible.</summary>
    void End();
}
