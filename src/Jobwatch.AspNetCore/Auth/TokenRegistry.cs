using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore.Auth;

/// <summary>A configured token as kept in memory: its SHA-256, never its secret.</summary>
public sealed record TokenIdentity(string Name, JobwatchRole Role, byte[] Hash);

/// <summary>
/// Holds the hashes of the configured tokens and finds the one a request presents. Every stored hash is
/// compared, in constant time, whatever matches, so response times say nothing about the secrets.
/// </summary>
public sealed class TokenRegistry
{
    private readonly TokenIdentity[] _tokens;

    public TokenRegistry(IOptions<JobwatchApiOptions> options)
    {
        var configured = options.Value.Tokens;
        _tokens = new TokenIdentity[configured.Count];
        for (var i = 0; i < configured.Count; i++)
        {
            var t = configured[i];
            var hash = t.Sha256 is { Length: > 0 } hex ? Convert.FromHexString(hex) : Hash(t.Secret!);
            _tokens[i] = new TokenIdentity(t.Name ?? $"{t.Role.ToString().ToLowerInvariant()}-{i + 1}", t.Role, hash);
        }
    }

    /// <summary>False when no token is configured: the API then admits loopback callers only.</summary>
    public bool Enabled => _tokens.Length > 0;

    public TokenIdentity? Find(string presented)
    {
        var hash = Hash(presented);
        TokenIdentity? match = null;
        foreach (var token in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, token.Hash))
            {
                match ??= token;
            }
        }
        return match;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
