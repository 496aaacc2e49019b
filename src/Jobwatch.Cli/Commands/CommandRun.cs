using System.CommandLine;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Rendering;
using Jobwatch.Client;

namespace Jobwatch.Cli.Commands;

/// <summary>One command's run: the parsed arguments, the server connection, and where and how to write.</summary>
public sealed class CommandRun(ParseResult parse, CliContext cli, ServerConnection server, bool json)
{
    public ParseResult Parse { get; } = parse;
    public CliContext Cli { get; } = cli;
    public ServerConnection Server { get; } = server;
    public JobwatchClient Client => Server.Client;
    public bool Json { get; } = json;

    /// <summary>The terminal's width for tables, or unbounded when the output goes to a file or a pipe.</summary>
    public Surface Surface => new(new Ansi(Cli.UseColor), Cli.IsTerminal ? Cli.TerminalSize().Width : int.MaxValue);

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);
    public T? Value<T>(Argument<T> argument) => Parse.GetValue(argument);

    public void Write(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Cli.Out.WriteLine(line);
        }
    }

    /// <summary>The body of the last answer, exactly as the server sent it.</summary>
    public void WriteServerJson() => Cli.Out.WriteLine(Server.LastJson);

    /// <summary>A note that is not the command's output (it goes to stderr, so pipes and --json stay clean).</summary>
    public void Note(string message) => Cli.Error.WriteLine("jobwatch: " + message);
}
