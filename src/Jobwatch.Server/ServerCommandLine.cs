using System.CommandLine;

namespace Jobwatch.Server;

/// <summary>What the command line asked for: run with settings, print help/version, or fail with errors (exit code 2).</summary>
public sealed record CommandLineOutcome(ServerSettings? Settings, ParseResult Parse, IReadOnlyList<string> Errors)
{
    public const int UsageExitCode = 2;

    /// <summary>--help or --version: System.CommandLine prints it; the server does not start.</summary>
    public bool IsInformational => Errors.Count == 0 && Settings is null;
}

public static class ServerCommandLine
{
    public const string StorageEnvironmentVariable = "JOBWATCH_STORAGE";

    public static CommandLineOutcome Parse(string[] args, string? storageFromEnvironment, bool stdoutIsTerminal)
    {
        var demo = new Option<bool>("--demo")
        {
            Description = "Run a demo workload (OSINT queues, long syncs, batch scoring, an event consumer with a dead-letter queue, an external run).",
        };
        var storage = new Option<string>("--storage")
        {
            Description = $"Where jobs are stored: sqlite:PATH or postgres:<connection string>. Default: ${StorageEnvironmentVariable}, else {StorageSetting.Default}.",
            HelpName = "scheme:value",
        };
        var noWorkers = new Option<bool>("--no-workers")
        {
            Description = "Run the engine (rescuer, progress, monitoring) without executing jobs in this process.",
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "json: one JSON object per line; text: human-readable. Default: text in a terminal, json otherwise.",
            HelpName = "json|text",
        }.AcceptOnlyFromAmong("json", "text");

        var root = new RootCommand("Jobwatch server: a background-job engine with built-in monitoring.")
        {
            demo, storage, noWorkers, logFormat,
        };
        var parse = root.Parse(args);

        var errors = parse.Errors.Select(e => e.Message).ToList();
        // The root command has no action of its own, so any action is --help's or --version's.
        if (errors.Count > 0 || parse.Action is not null)
        {
            return new CommandLineOutcome(null, parse, errors);
        }

        if (string.IsNullOrWhiteSpace(storageFromEnvironment))
        {
            storageFromEnvironment = null;
        }
        var storageText = parse.GetResult(storage) is not null ? parse.GetValue(storage) : null;
        var source = storageText is not null ? "--storage" : storageFromEnvironment is not null ? StorageEnvironmentVariable : null;
        storageText ??= storageFromEnvironment ?? StorageSetting.Default;
        if (!StorageSetting.TryParse(storageText, out var setting, out var storageError))
        {
            errors.Add(source is null ? storageError! : $"{source}: {storageError}");
        }
        else if (setting!.Kind == StorageKind.Postgres)
        {
            errors.Add($"{source ?? "storage"}: PostgreSQL storage is not available in this build yet. Use sqlite:PATH (e.g. {StorageSetting.Default}).");
        }

        if (errors.Count > 0)
        {
            return new CommandLineOutcome(null, parse, errors);
        }
        var format = parse.GetValue(logFormat) switch
        {
            "json" => LogFormat.Json,
            "text" => LogFormat.Text,
            _ => stdoutIsTerminal ? LogFormat.Text : LogFormat.Json,
        };
        var settings = new ServerSettings(setting!, parse.GetValue(demo), RunWorkers: !parse.GetValue(noWorkers), format);
        return new CommandLineOutcome(settings, parse, errors);
    }
}
