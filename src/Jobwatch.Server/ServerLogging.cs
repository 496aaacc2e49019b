using Jobwatch.Server.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Jobwatch.Server;

/// <summary>
/// Flat JSON lines for machines (<see cref="JsonLineFormatter"/>), single readable lines for people; levels default here
/// and yield to configuration (appsettings.json, Logging__LogLevel__… variables).
/// </summary>
public static class ServerLogging
{
    /// <summary>ISO 8601 in UTC with milliseconds, e.g. 2026-02-15T06:00:00.123Z.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly Dictionary<string, string?> DefaultLevels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Jobwatch"] = "Information",
        // One "started" and one "completed" line per job: the per-job audit trail of seed 002.
        ["Logging:LogLevel:Jobwatch.Job"] = "Information",
    };

    public static void Configure(IHostApplicationBuilder builder, LogFormat format)
    {
        // First source, so appsettings.json and Logging__LogLevel__… environment variables still override these.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = DefaultLevels });

        var logging = builder.Logging;
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            logging.AddConsole(o => o.FormatterName = JsonLineFormatter.FormatterName);
            logging.AddConsoleFormatter<JsonLineFormatter, JsonLineFormatterOptions>(o =>
            {
                // The engine puts JobId/JobName/JobType/Queue/Attempt/Phase in a scope; without scopes they would be lost.
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = TimestampFormat;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = false;
                o.TimestampFormat = "HH:mm:ss ";
                // Scopes would put ASP.NET's request ids and the job fields before every message; the engine's
                // messages name the job and attempt already, which is what a person at a terminal reads.
                o.IncludeScopes = false;
            });
        }
    }
}
