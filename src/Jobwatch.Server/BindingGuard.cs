using System.Net;

namespace Jobwatch.Server;

/// <summary>
/// Refuses to start a server that would be reachable from the network without tokens: the API can retry,
/// cancel and delete jobs, so an anonymous non-loopback listener must be an explicit choice.
/// </summary>
public static class BindingGuard
{
    public sealed record ParsedUrls(IReadOnlyList<Uri> Urls, string? Error);

    public static ParsedUrls Parse(string text)
    {
        var urls = new List<Uri>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcards (http://*:80, http://+:80) are not valid URI hosts; they mean every interface.
            var normalized = part.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return new ParsedUrls([], $"'{part}' is not an http(s) address; use e.g. http://127.0.0.1:8080 or http://0.0.0.0:8080.");
            }
            urls.Add(uri);
        }
        return urls.Count == 0 ? new ParsedUrls([], "no address given; use e.g. http://127.0.0.1:8080.") : new ParsedUrls(urls, null);
    }

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Null when starting is safe; else the message that says how to make it so.</summary>
    public static string? Check(IReadOnlyList<Uri> urls, bool tokensConfigured, bool allowAnonymous)
    {
        if (tokensConfigured || allowAnonymous)
        {
            return null;
        }
        var exposed = urls.Where(u => !IsLoopback(u)).ToArray();
        return exposed.Length == 0
            ? null
            : $"refusing to listen on {string.Join(", ", exposed.Select(u => u.ToString().TrimEnd('/')))} without API tokens: anyone who can reach it could act on jobs. " +
              "Configure tokens (e.g. JOBWATCH_TOKENS=viewer:SECRET1,operator:SECRET2, or Jobwatch:Api:Tokens in appsettings.json), " +
              "listen on loopback only (--urls http://127.0.0.1:8080), or opt in to anonymous access with --allow-anonymous.";
    }
}
