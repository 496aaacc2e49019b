using System.CommandLine;
using System.Text.RegularExpressions;

namespace Jobwatch.Server;

/// <summary>What the command line asked for: run with settings, print help/version, or fail with errors (exit code 2).</summary>
public sealed record CommandLineOutcome(ServerSettings? Settings, ParseResult Parse, IReadOnlyList<string> Errors)
{
    public const int UsageExitCode = 2;

    /// <summary>--help or --version: System.CommandLine prints it; the server does not start.</summary>
    public bool IsInformational => Errors.Count == 0 && Settings is null;
}

public static partial class ServerCommandLine
{
    public const string StorageEnvironmentVariable = "JOBWATCH_STORAGE";
    /// <summary>Configuration key read when <c>--schema</c> is absent (environment: <c>Jobwatch__Postgres__Schema</c>).</summary>
    public const string SchemaConfigurationKey = "Jobwatch:Postgres:Schema";
    public const string DefaultSchema = "jobwatch";
    /// <summary>Loopback only: a server with no tokens configured is reachable from this machine alone.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

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
        var schema = new Option<string>("--schema")
        {
            Description = $"PostgreSQL schema that holds Jobwatch's tables (created if missing); lower-case letters, digits, '_'. Default: configuration {SchemaConfigurationKey} (environment Jobwatch__Postgres__Schema), else {DefaultSchema}.",
            HelpName = "name",
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

        var urls = new Option<string>("--urls")
        {
            Description = $"Addresses to listen on, separated by ';' (e.g. http://0.0.0.0:8080). Default: configuration 'urls' (ASPNETCORE_URLS), else {DefaultUrls}. Any non-loopback address needs tokens (JOBWATCH_TOKENS) or --allow-anonymous.",
            HelpName = "url;url",
        };
        var allowAnonymous = new Option<bool>("--allow-anonymous")
        {
            Description = "With no tokens configured, admit callers from any address without a token (only for trusted networks).",
        };

        var root = new RootCommand("Jobwatch server: a background-job engine with built-in monitoring.")
        {
            demo, storage, schema, noWorkers, logFormat, urls, allowAnonymous,
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
        var schemaText = parse.GetResult(schema) is not null ? parse.GetValue(schema) : null;
        if (schemaText is not null)
        {
            if (setting is { Kind: not StorageKind.Postgres })
            {
                errors.Add("--schema applies to postgres storage only.");
            }
            else if (SchemaError(schemaText) is { } schemaError)
            {
                errors.Add($"--schema: {schemaError}");
            }
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
        var urlsText = parse.GetResult(urls) is not null ? parse.GetValue(urls) : null;
        if (urlsText is not null && BindingGuard.Parse(urlsText).Error is { } urlError)
        {
            return new CommandLineOutcome(null, parse, [$"--urls: {urlError}"]);
        }
        var settings = new ServerSettings(setting!, parse.GetValue(demo), RunWorkers: !parse.GetValue(noWorkers), format, schemaText,
            urlsText, parse.GetValue(allowAnonymous));
        return new CommandLineOutcome(settings, parse, errors);
    }

    /// <summary>Null when <paramref name="name"/> is a schema the PostgreSQL store accepts; else why not (the name is safe to echo: it is no secret).</summary>
    public static string? SchemaError(string name) => SchemaName().IsMatch(name)
        ? null
        : $"'{name}' is not a valid schema name: use 1–63 lower-case letters, digits or '_', starting with a letter or '_' (e.g. {DefaultSchema}).";

    // The store's own rule (PostgresStoreOptions.Schema), checked here so a typo exits 2 before anything starts.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
