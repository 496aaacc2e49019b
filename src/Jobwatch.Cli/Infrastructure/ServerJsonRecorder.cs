namespace Jobwatch.Cli.Infrastructure;

/// <summary>
/// Keeps the body of the last response, so <c>--json</c> prints exactly the JSON the server sent (field order,
/// number formats, fields this client version does not know) while the typed client still parses it for tables.
/// </summary>
internal sealed class ServerJsonRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public string? LastBody { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastBody = null;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // Buffered, the content can be read here and again by the typed client.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        LastBody = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response;
    }
}
