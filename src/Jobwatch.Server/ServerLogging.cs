using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Server;

/// <summary>JSON lines for machines, single readable lines for people; levels default here and yield to configuration.</summary>
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
            logging.AddJsonConsole(o =>
            {
                // The engine puts JobId/JobName/JobType/Queue/Attempt in a scope; without scopes they would be lost.
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = TimestampFormat;
                // Log lines are not HTML: keep '+', quotes and non-ASCII readable instead of \u-escaped.
                o.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = false;
                o.TimestampFormat = "HH:mm:ss ";
                // The engine's scope is a dictionary, which the simple console prints as its type name; the messages name the job already.
                o.IncludeScopes = false;
            });
        }
    }
}
