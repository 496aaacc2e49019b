using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Jobwatch.Cli.Commands;

/// <summary>
/// Options several commands share. Their parsers refuse a bad value before anything is sent, in words that say what
/// a good value looks like (the library's own message names a CLR type).
/// </summary>
public static class CommonOptions
{
    public static Option<int?> Limit(int max, int defaultValue, string what)
    {
        const string name = "--limit";
        return new Option<int?>(name)
        {
            Description = $"How many {what} (1–{max:#,0}; default {defaultValue:#,0}).",
            HelpName = "n",
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null; // the parser reports the missing value itself
                }
                var text = result.Tokens[^1].Value;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
                {
                    return value;
                }
                result.AddError($"{name} must be a whole number from 1 to {max:#,0} (got {text}); leave it out for {defaultValue:#,0}.");
                return null;
            },
        };
    }

    public static Option<long?> JobId(string description) => new("--id")
    {
        Description = description,
        HelpName = "id",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }
            var text = result.Tokens[^1].Value;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1)
            {
                return id;
            }
            result.AddError($"--id must be a job id, a whole number from 1 up (got {text}). Find ids with 'jobwatch history' or 'jobwatch active'.");
            return null;
        },
    };

    /// <summary>Reports a missing --id with an example, rather than as a bare "required option" error.</summary>
    public static void RequireId(Command command, Option<long?> id) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(id) is null)
            {
                result.AddError($"'{command.Name}' needs a job id: jobwatch {command.Name} --id 1234 (find ids with 'jobwatch history' or 'jobwatch active').");
            }
        });

    /// <summary>A point in time, ISO 8601; without an offset it is taken as UTC (servers are remote, and so is their clock).</summary>
    public static Option<DateTimeOffset?> Time(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "time",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }
            var text = result.Tokens[^1].Value;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }
            result.AddError($"{name} must be a time in ISO 8601, e.g. 2026-02-15T06:00:00Z (got {text}).");
            return null;
        },
    };

    /// <summary>A job status code (seed 000: 100–599, e.g. 429).</summary>
    public static Option<int?> StatusCode(string description) => new("--status-code")
    {
        Description = description,
        HelpName = "code",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }
            var text = result.Tokens[^1].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
            {
                return code;
            }
            result.AddError($"--status-code must be a status code from 100 to 599, e.g. 429 (got {text}).");
            return null;
        },
    };

    /// <summary>A number of seconds within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double? Seconds(ArgumentResult result, string name, double min, double max)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }
        var text = result.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min && value <= max)
        {
            return value;
        }
        result.AddError($"{name} must be a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (got {text}).");
        return null;
    }
}
