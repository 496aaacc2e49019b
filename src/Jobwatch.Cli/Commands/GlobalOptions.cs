using System.CommandLine;
using Jobwatch.Cli.Infrastructure;

namespace Jobwatch.Cli.Commands;

/// <summary>Options every command takes: which server, which token, and JSON instead of tables.</summary>
public sealed class GlobalOptions
{
    public Option<string> Url { get; } = new("--url")
    {
        Description = $"The Jobwatch server. Default: ${ServerConnection.UrlVariable}, else {ServerConnection.DefaultUrl}.",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string> Token { get; } = new("--token")
    {
        Description = $"Bearer token (a secret from the server's JOBWATCH_TOKENS). Default: ${ServerConnection.TokenVariable}.",
        HelpName = "secret",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the server's JSON instead of tables (for scripts and jq).",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(Token);
        root.Options.Add(Json);
    }
}
