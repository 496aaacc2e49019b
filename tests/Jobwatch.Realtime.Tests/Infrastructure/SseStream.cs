using System.Text.Json;

namespace Jobwatch.Realtime.Tests.Infrastructure;

/// <summary>One Server-Sent Event (or, with <see cref="Comment"/> set, a comment line such as a keep-alive).</summary>
public sealed record SseEvent(string? Id, string? Event, string Data, string? Comment = null)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
    public long JobId => Json.GetProperty("jobId").GetInt64();
}

/// <summary>Reads an SSE response as a browser's EventSource would (id, event, data lines; blank line ends an event).</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseStream> OpenAsync(HttpClient http, string url, string? lastEventId = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return new SseStream(response, await response.Content.ReadAsStreamAsync(timeout.Token));
    }

    /// <summary>The next event or comment; fails after <paramref name="timeout"/> (30 s by default) or at the end of the stream.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null, bool includeComments = false)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        string? id = null, name = null;
        var data = new List<string>();
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The event stream ended.");
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        return new SseEvent(id, name, string.Join('\n', data));
                    }
                    continue;
                }
                if (line.StartsWith(':'))
                {
                    if (includeComments)
                    {
                        return new SseEvent(null, null, "", line[1..].Trim());
                    }
                    continue;
                }
                var colon = line.IndexOf(':');
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": name = value; break;
                    case "data": data.Add(value); break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event on the stream within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s.");
        }
    }

    /// <summary>Reads until an event satisfies <paramref name="match"/>, returning it and everything read before it.</summary>
    public async Task<(SseEvent Match, List<SseEvent> Before)> NextMatchingAsync(Func<SseEvent, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var before = new List<SseEvent>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var e = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (match(e))
            {
                return (e, before);
            }
            before.Add(e);
        }
    }

    /// <summary>The rest of the body as text (an error response's problem details).</summary>
    public async Task<string> ReadToEndAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _reader.ReadToEndAsync(cts.Token);
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
