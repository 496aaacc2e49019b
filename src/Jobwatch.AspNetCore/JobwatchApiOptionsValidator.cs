using Jobwatch.AspNetCore.Auth;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore;

/// <summary>Fails start-up with messages that name the configuration key to fix (never a secret).</summary>
internal sealed class JobwatchApiOptionsValidator : IValidateOptions<JobwatchApiOptions>
{
    public ValidateOptionsResult Validate(string? name, JobwatchApiOptions o)
    {
        var errors = new List<string>();
        for (var i = 0; i < o.Tokens.Count; i++)
        {
            var t = o.Tokens[i];
            var key = $"{JobwatchApiOptions.SectionName}:Tokens:{i}";
            var hasSecret = !string.IsNullOrEmpty(t.Secret);
            var hasHash = !string.IsNullOrEmpty(t.Sha256);
            if (hasSecret == hasHash)
            {
                errors.Add($"{key}: give exactly one of Secret or Sha256 (hex SHA-256 of the secret).");
            }
            else if (hasHash && (t.Sha256!.Length != 64 || !t.Sha256.All(Uri.IsHexDigit)))
            {
                errors.Add($"{key}:Sha256 must be 64 hex digits (e.g. the output of: printf %s SECRET | sha256sum).");
            }
            if (!Enum.IsDefined(t.Role))
            {
                errors.Add($"{key}:Role must be viewer, reporter, operator or admin.");
            }
        }
        var names = o.Tokens.Where(t => t.Name is not null).GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        errors.AddRange(names.Select(n => $"{JobwatchApiOptions.SectionName}:Tokens: the name '{n}' is used twice; names identify callers in the audit trail."));
        if (o.MaxRequestBodyBytes < 1024)
        {
            errors.Add($"{JobwatchApiOptions.SectionName}:MaxRequestBodyBytes must be at least 1024.");
        }
        if (o.MaxJsonDepth is < 4 or > 256)
        {
            errors.Add($"{JobwatchApiOptions.SectionName}:MaxJsonDepth must be between 4 and 256.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
