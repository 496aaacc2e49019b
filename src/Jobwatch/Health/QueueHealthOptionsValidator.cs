using Microsoft.Extensions.Options;

namespace Jobwatch.Health;

/// <summary>
/// Checks the thresholds each queue ends up with (so a queue override that contradicts the default is caught too),
/// with messages that name the configuration key to fix.
/// </summary>
internal sealed class QueueHealthOptionsValidator : IValidateOptions<QueueHealthOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueHealthOptions o)
    {
        var errors = new List<string>();
        Check(errors, $"{QueueHealthOptions.SectionName}:Default", QueueHealthThresholds.BuiltIn.With(o.Default));
        foreach (var (queue, limits) in o.Queues)
        {
            if (limits is null)
            {
                errors.Add($"{QueueHealthOptions.SectionName}:Queues:{queue} is empty; set at least one threshold or remove the entry.");
                continue;
            }
            Check(errors, $"{QueueHealthOptions.SectionName}:Queues:{queue}", o.For(queue));
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string key, QueueHealthThresholds t)
    {
        Counts(errors, key, "Failed", t.FailedDegradedAt, t.FailedUnhealthyAbove);
        Counts(errors, key, "Backlog", t.BacklogDegradedAt, t.BacklogUnhealthyAbove);
        Counts(errors, key, "Stale", t.StaleDegradedAt, t.StaleUnhealthyAbove);
        if (t.ErrorRateDegradedAtPercent is <= 0 or > 100 || double.IsNaN(t.ErrorRateDegradedAtPercent))
        {
            errors.Add($"{key}:ErrorRateDegradedAtPercent must be above 0 and at most 100 (got {t.ErrorRateDegradedAtPercent}).");
        }
        if (t.ErrorRateUnhealthyAbovePercent is < 0 or >= 100 || double.IsNaN(t.ErrorRateUnhealthyAbovePercent))
        {
            errors.Add($"{key}:ErrorRateUnhealthyAbovePercent must be at least 0 and below 100 (got {t.ErrorRateUnhealthyAbovePercent}).");
        }
        else if (t.ErrorRateUnhealthyAbovePercent < t.ErrorRateDegradedAtPercent)
        {
            errors.Add($"{key}:ErrorRateUnhealthyAbovePercent ({t.ErrorRateUnhealthyAbovePercent}) is below ErrorRateDegradedAtPercent ({t.ErrorRateDegradedAtPercent}); are they swapped?");
        }
        if (t.ErrorRateMinimumFinished < 1)
        {
            errors.Add($"{key}:ErrorRateMinimumFinished must be at least 1 (got {t.ErrorRateMinimumFinished}).");
        }
        if (t.WaitingDegradedAfter <= TimeSpan.Zero)
        {
            errors.Add($"{key}:WaitingDegradedAfter must be positive, e.g. 00:10:00 (got {t.WaitingDegradedAfter}).");
        }
        if (!Enum.IsDefined(t.PausedStatus))
        {
            errors.Add($"{key}:PausedStatus must be healthy, degraded or unhealthy.");
        }
    }

    private static void Counts(List<string> errors, string key, string what, long degradedAt, long unhealthyAbove)
    {
        if (degradedAt < 1)
        {
            errors.Add($"{key}:{what}DegradedAt must be at least 1 (got {degradedAt}); 0 would degrade every queue.");
        }
        if (unhealthyAbove < 0)
        {
            errors.Add($"{key}:{what}UnhealthyAbove must be 0 or more (got {unhealthyAbove}).");
        }
        else if (degradedAt >= 1 && unhealthyAbove < degradedAt - 1)
        {
            errors.Add($"{key}:{what}UnhealthyAbove ({unhealthyAbove}) is below {what}DegradedAt ({degradedAt}) − 1; are they swapped?");
        }
    }
}
