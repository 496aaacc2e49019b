using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Jobwatch.Health;

/// <summary>
/// Reads <c>Jobwatch:Health</c> from the host's <see cref="IConfiguration"/> (when it has one). The core carries no
/// configuration binder, and this small reader also does what the binder would not: a misspelt key or a value that
/// does not parse fails start-up with the key named, instead of being silently ignored.
/// </summary>
internal sealed class QueueHealthConfiguration(IServiceProvider services) : IConfigureOptions<QueueHealthOptions>
{
    private delegate string? Setter(QueueHealthLimits limits, string value);

    private static readonly Dictionary<string, Setter> Setters = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(QueueHealthLimits.FailedDegradedAt)] = (l, v) => Long(v, x => l.FailedDegradedAt = x),
        [nameof(QueueHealthLimits.FailedUnhealthyAbove)] = (l, v) => Long(v, x => l.FailedUnhealthyAbove = x),
        [nameof(QueueHealthLimits.ErrorRateDegradedAtPercent)] = (l, v) => Percent(v, x => l.ErrorRateDegradedAtPercent = x),
        [nameof(QueueHealthLimits.ErrorRateUnhealthyAbovePercent)] = (l, v) => Percent(v, x => l.ErrorRateUnhealthyAbovePercent = x),
        [nameof(QueueHealthLimits.ErrorRateMinimumFinished)] = (l, v) => Long(v, x => l.ErrorRateMinimumFinished = x),
        [nameof(QueueHealthLimits.BacklogDegradedAt)] = (l, v) => Long(v, x => l.BacklogDegradedAt = x),
        [nameof(QueueHealthLimits.BacklogUnhealthyAbove)] = (l, v) => Long(v, x => l.BacklogUnhealthyAbove = x),
        [nameof(QueueHealthLimits.WaitingDegradedAfter)] = (l, v) => Duration(v, x => l.WaitingDegradedAfter = x),
        [nameof(QueueHealthLimits.StaleDegradedAt)] = (l, v) => Long(v, x => l.StaleDegradedAt = x),
        [nameof(QueueHealthLimits.StaleUnhealthyAbove)] = (l, v) => Long(v, x => l.StaleUnhealthyAbove = x),
        [nameof(QueueHealthLimits.PausedStatus)] = (l, v) => Status(v, x => l.PausedStatus = x),
    };

    public void Configure(QueueHealthOptions options)
    {
        if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
        {
            Bind(configuration.GetSection(QueueHealthOptions.SectionName), options);
        }
    }

    /// <exception cref="OptionsValidationException">A key is unknown or a value does not parse; every such key is named.</exception>
    public static void Bind(IConfigurationSection section, QueueHealthOptions options)
    {
        var errors = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (string.Equals(child.Key, nameof(QueueHealthOptions.Default), StringComparison.OrdinalIgnoreCase))
            {
                BindLimits(child, options.Default, errors);
            }
            else if (string.Equals(child.Key, nameof(QueueHealthOptions.Queues), StringComparison.OrdinalIgnoreCase))
            {
                foreach (var queue in child.GetChildren())
                {
                    if (!options.Queues.TryGetValue(queue.Key, out var limits))
                    {
                        options.Queues[queue.Key] = limits = new QueueHealthLimits();
                    }
                    BindLimits(queue, limits, errors);
                }
            }
            else
            {
                errors.Add($"{child.Path} is not a setting: {QueueHealthOptions.SectionName} has Default and Queues:<queue name>.");
            }
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(QueueHealthOptions), errors);
        }
    }

    private static void BindLimits(IConfigurationSection section, QueueHealthLimits limits, List<string> errors)
    {
        foreach (var entry in section.GetChildren())
        {
            if (!Setters.TryGetValue(entry.Key, out var set))
            {
                errors.Add($"{entry.Path} is not a health threshold; use one of: {string.Join(", ", Setters.Keys)}.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(entry.Value))
            {
                continue;
            }
            if (set(limits, entry.Value) is { } problem)
            {
                errors.Add($"{entry.Path}: '{entry.Value}' is not {problem}.");
            }
        }
    }

    private static string? Long(string value, Action<long> set)
    {
        if (!long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var x))
        {
            return "a whole number (e.g. 5)";
        }
        set(x);
        return null;
    }

    private static string? Percent(string value, Action<double> set)
    {
        if (!double.TryParse(value.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
        {
            return "a percentage (e.g. 5 or 7.5)";
        }
        set(x);
        return null;
    }

    private static string? Duration(string value, Action<TimeSpan> set)
    {
        if (!TimeSpan.TryParse(value.Trim(), CultureInfo.InvariantCulture, out var x))
        {
            return "a duration as hh:mm:ss (e.g. 00:10:00)";
        }
        set(x);
        return null;
    }

    private static string? Status(string value, Action<QueueHealthStatus> set)
    {
        if (!QueueHealthStatusNames.TryParse(value, out var x))
        {
            return "healthy, degraded or unhealthy";
        }
        set(x);
        return null;
    }
}
