namespace Jobwatch.AspNetCore.Auth;

/// <summary>
/// One bearer token from configuration (<c>Jobwatch:Api:Tokens:0:Role</c>, <c>…:Secret</c> or <c>…:Sha256</c>, <c>…:Name</c>).
/// Give <see cref="Sha256"/> (hex of the secret's SHA-256) to keep the secret itself out of configuration files.
/// </summary>
public sealed class ApiToken
{
    /// <summary>Who holds it, as the audit trail shows it; defaults to the role and the token's position.</summary>
    public string? Name { get; set; }
    public JobwatchRole Role { get; set; } = JobwatchRole.Viewer;
    /// <summary>The secret a client sends as <c>Authorization: Bearer &lt;secret&gt;</c>. Hashed at start-up; the plain text is not kept.</summary>
    public string? Secret { get; set; }
    /// <summary>Alternatively, the hex SHA-256 of the secret.</summary>
    public string? Sha256 { get; set; }
}
