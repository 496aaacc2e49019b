namespace Jobwatch.AspNetCore.Auth;

/// <summary>Parses <c>JOBWATCH_TOKENS</c>: comma-separated <c>role:secret</c> pairs, e.g. <c>viewer:abc123,operator:def456</c>.</summary>
public static class TokenList
{
    public const string EnvironmentVariable = "JOBWATCH_TOKENS";

    /// <summary>The tokens in <paramref name="text"/>; throws <see cref="FormatException"/> naming the bad entry (by position, never by secret).</summary>
    public static IReadOnlyList<ApiToken> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var tokens = new List<ApiToken>();
        var entries = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var colon = entries[i].IndexOf(':', StringComparison.Ordinal);
            var roleText = colon > 0 ? entries[i][..colon] : "";
            var secret = colon > 0 ? entries[i][(colon + 1)..] : "";
            if (!Enum.TryParse<JobwatchRole>(roleText, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(roleText, out _))
            {
                throw new FormatException($"{EnvironmentVariable}: entry {i + 1} must be role:secret with role viewer, reporter, operator or admin (e.g. viewer:abc123,operator:def456).");
            }
            if (secret.Length == 0)
            {
                throw new FormatException($"{EnvironmentVariable}: entry {i + 1} ({roleText}) has an empty secret.");
            }
            tokens.Add(new ApiToken { Role = role, Secret = secret, Name = $"{role.ToString().ToLowerInvariant()}-env-{i + 1}" });
        }
        return tokens;
    }
}
