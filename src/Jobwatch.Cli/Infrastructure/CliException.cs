namespace Jobwatch.Cli.Infrastructure;

/// <summary>A failure the command has already put into words: the message is shown as is and the process exits with <see cref="ExitCode"/>.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
