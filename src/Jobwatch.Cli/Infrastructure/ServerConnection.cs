using System.Net.Http.Headers;
using System.Reflection;
using Jobwatch.Client;

namespace Jobwatch.Cli.Infrastructure;

/// <summary>
/// Which server to talk to and with which token: <c>--url</c> or <c>JOBWATCH_API_URL</c> (default
/// http://localhost:8080), <c>--token</c> or <c>JOBWATCH_API_TOKEN</c>. Remembers where each came from, so an error
/// can say what to change.
/// </summary>
public sealed class ServerConnection : IDisposable
{
    public const string UrlVariable = "JOBWATCH_API_URL";
    public const string TokenVariable = "JOBWATCH_API_TOKEN";
    public const string DefaultUrl = "http://localhost:8080";
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly ServerJsonRecorder _recorder;
    private readonly HttpClient _http;

    private ServerConnection(Uri url, string urlSource, string? token, string? tokenSource)
    {
        Url = url;
        UrlSource = urlSource;
        HasToken = token is not null;
        TokenSource = tokenSource;
        _recorder = new ServerJsonRecorder(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) });
        _http = new HttpClient(_recorder) { BaseAddress = url, Timeout = RequestTimeout };
        var version = typeof(ServerConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("jobwatch-cli", version));
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        Client = new JobwatchClient(_http);
    }

    public Uri Url { get; }
    /// <summary>"--url", "JOBWATCH_API_URL" or "the default".</summary>
    public string UrlSource { get; }
    public bool HasToken { get; }
    public string? TokenSource { get; }
    public JobwatchClient Client { get; }

    /// <summary>The body of the last answer, as the server sent it (for <c>--json</c>).</summary>
    public string LastJson => _recorder.LastBody ?? "";

    public static ServerConnection Open(string? urlOption, string? tokenOption, Func<string, string?> environment)
    {
        var (text, source) = !string.IsNullOrWhiteSpace(urlOption) ? (urlOption.Trim(), "--url")
            : !string.IsNullOrWhiteSpace(environment(UrlVariable)) ? (environment(UrlVariable)!.Trim(), UrlVariable)
            : (DefaultUrl, "the default");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
        {
            throw new CliException(ExitCodes.Usage,
                $"{source}: '{text}' is not a server address. Give the server's http(s) URL, e.g. --url http://localhost:8080 or export {UrlVariable}=https://jobs.example.com");
        }
        if (!url.AbsoluteUri.EndsWith('/'))
        {
            url = new Uri(url.AbsoluteUri + "/"); // keeps a path prefix (a reverse proxy's /jobwatch/) when paths are appended
        }
        var (token, tokenSource) = !string.IsNullOrWhiteSpace(tokenOption) ? (tokenOption.Trim(), "--token")
            : !string.IsNullOrWhiteSpace(environment(TokenVariable)) ? (environment(TokenVariable)!.Trim(), TokenVariable)
            : ((string?)null, (string?)null);
        return new ServerConnection(url, source, token, tokenSource);
    }

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }
}
