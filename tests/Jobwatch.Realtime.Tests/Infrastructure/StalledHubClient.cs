using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Jobwatch.Realtime.Tests.Infrastructure;

/// <summary>
/// A hub client that subscribes to everything and then never reads again, with a tiny socket receive buffer: the
/// server's sends to it soon block in TCP, as with a browser tab on a dead mobile link. Speaks SignalR's JSON protocol
/// over a raw WebSocket (no negotiation), so nothing on the client side reads in the background.
/// </summary>
public sealed class StalledHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket;

    private StalledHubClient(ClientWebSocket socket) => _socket = socket;

    public static async Task<StalledHubClient> ConnectAsync(Uri server, string token)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + token);
        ws.Options.SetBuffer(1024, 1024);
        var uri = new UriBuilder(new Uri(server, "job-progress")) { Scheme = "ws" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ws.ConnectAsync(uri, new HttpMessageInvoker(handler), timeout.Token);
        var client = new StalledHubClient(ws);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}", timeout.Token);
        var handshake = await client.ReceiveRecordAsync(timeout.Token);
        if (handshake != "{}")
        {
            throw new InvalidOperationException($"The hub refused the handshake: {handshake}");
        }
        await client.SendAsync("{\"type\":1,\"invocationId\":\"1\",\"target\":\"subscribe-to-all\",\"arguments\":[]}", timeout.Token);
        // From here on nothing is read: the completion and every event pile up in the socket, then in the server.
        return client;
    }

    private Task SendAsync(string message, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, ct);

    private async Task<string> ReceiveRecordAsync(CancellationToken ct)
    {
        var buffer = new byte[1024];
        var text = new StringBuilder();
        while (!text.ToString().Contains(RecordSeparator, StringComparison.Ordinal))
        {
            var result = await _socket.ReceiveAsync(buffer, ct);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        return text.ToString()[..text.ToString().IndexOf(RecordSeparator, StringComparison.Ordinal)];
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
