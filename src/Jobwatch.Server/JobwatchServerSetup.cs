using Jobwatch.AspNetCore;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.DependencyInjection;
using Jobwatch.Server.Demo;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobwatch.Server;

/// <summary>
/// Configures a host from <see cref="ServerSettings"/>. Takes <see cref="IHostApplicationBuilder"/>, which the
/// generic host and WebApplicationBuilder both implement, so the HTTP surface can switch hosts without touching this.
/// </summary>
public static class JobwatchServerSetup
{
    /// <summary>Time the host gives hosted services to stop beyond the engine's own drain time (writing outcomes, resigning leadership, the demo's runs).</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    public static void Configure(IHostApplicationBuilder builder, ServerSettings settings)
    {
        ServerLogging.Configure(builder, settings.LogFormat);

        var jobwatch = builder.Services.AddJobwatch(o =>
        {
            if (settings.Demo)
            {
                DemoRegistration.ConfigureQueues(o);
            }
            // Configuration ("Jobwatch" section, e.g. Jobwatch__DefaultConcurrency=4) overrides the demo's defaults…
            builder.Configuration.GetSection("Jobwatch").Bind(o);
            // …and the command line overrides configuration.
            if (!settings.RunWorkers)
            {
                o.RunWorkers = false;
            }
        });
        UseStorage(jobwatch, settings, builder.Configuration);

        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<JobwatchOptions>>((host, engine) => host.ShutdownTimeout = engine.Value.ShutdownTimeout + ShutdownMargin);

        ConfigureApi(builder, settings);

        if (settings.Demo)
        {
            // Registered after the engine, so it stops first: the engine is still there to record its last runs.
            jobwatch.AddDemo();
        }
    }

    /// <summary>The HTTP surface, its tokens (configuration and JOBWATCH_TOKENS), and the refusal to expose it without them.</summary>
    private static void ConfigureApi(IHostApplicationBuilder builder, ServerSettings settings)
    {
        IReadOnlyList<ApiToken> fromEnvironment;
        try
        {
            fromEnvironment = TokenList.Parse(Environment.GetEnvironmentVariable(TokenList.EnvironmentVariable));
        }
        catch (FormatException ex)
        {
            throw new ServerSetupException(ex.Message);
        }
        builder.Services.AddJobwatchApi(o =>
        {
            o.Tokens.AddRange(fromEnvironment);
            o.AllowAnonymous |= settings.AllowAnonymous;
        });
        // /health/ready: this node can reach its storage (Program maps the probes).
        builder.Services.AddHealthChecks().AddJobwatchStorage();

        var urlsText = settings.Urls ?? builder.Configuration["urls"] ?? ServerCommandLine.DefaultUrls;
        var parsed = BindingGuard.Parse(urlsText);
        if (parsed.Error is { } error)
        {
            throw new ServerSetupException($"urls: {error}");
        }
        builder.Configuration["urls"] = urlsText;
        var kestrelUrls = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>().SelectMany(u => BindingGuard.Parse(u).Urls);
        var tokensConfigured = fromEnvironment.Count > 0 || builder.Configuration.GetSection($"{JobwatchApiOptions.SectionName}:Tokens").GetChildren().Any();
        var allowAnonymous = settings.AllowAnonymous || builder.Configuration.GetValue<bool>($"{JobwatchApiOptions.SectionName}:AllowAnonymous");
        if (BindingGuard.Check([.. parsed.Urls, .. kestrelUrls], tokensConfigured, allowAnonymous) is { } refusal)
        {
            throw new ServerSetupException(refusal);
        }
    }

    private static void UseStorage(JobwatchBuilder jobwatch, ServerSettings settings, IConfiguration configuration)
    {
        var storage = settings.Storage;
        switch (storage.Kind)
        {
            case StorageKind.Sqlite:
                jobwatch.UseSqlite(SqliteConnectionString(storage.Value));
                break;
            case StorageKind.Postgres:
                var schema = PostgresSchema(settings, configuration);
                jobwatch.UsePostgres(storage.Value, o => o.Schema = schema);
                break;
            default:
                throw new NotSupportedException($"Storage {storage} is not available in this build.");
        }
    }

    /// <summary>
    /// <c>--schema</c>, else configuration <c>Jobwatch:Postgres:Schema</c>, else <c>jobwatch</c>. A bad name from
    /// configuration is a usage error like a bad <c>--schema</c> (Program exits 2), not a crash.
    /// </summary>
    public static string PostgresSchema(ServerSettings settings, IConfiguration configuration)
    {
        if (settings.Schema is { } fromCommandLine)
        {
            return fromCommandLine;
        }
        var configured = configuration[ServerCommandLine.SchemaConfigurationKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return ServerCommandLine.DefaultSchema;
        }
        return ServerCommandLine.SchemaError(configured) is { } error
            ? throw new ServerSetupException($"{ServerCommandLine.SchemaConfigurationKey}: {error}")
            : configured;
    }

    /// <summary>Where the server stores jobs, safe to log: the SQLite file, or the PostgreSQL server, database, user and schema (never a password).</summary>
    public static string DescribeStorage(ServerSettings settings, IConfiguration configuration) => settings.Storage.Kind switch
    {
        StorageKind.Sqlite => $"sqlite:{Path.GetFullPath(settings.Storage.Value)}",
        _ => $"{settings.Storage.Describe()} (schema {PostgresSchema(settings, configuration)})",
    };

    /// <summary>An absolute path, so the log and the file agree whatever directory the store resolves against.</summary>
    public static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path) }.ToString();
}

/// <summary>Settings that passed the command line but not configuration (e.g. a bad schema name); Program prints the message and exits 2.</summary>
public sealed class ServerSetupException(string message) : Exception(message);
