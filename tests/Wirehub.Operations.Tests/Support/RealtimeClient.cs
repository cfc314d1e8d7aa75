using System.Text.Json;
using Wirehub.WebSockets;

namespace Wirehub.Operations.Tests.Support;

/// <summary>A bare <c>wirehub.v1</c> client: JSON requests out, the first reply of the expected type back.</summary>
internal sealed class RealtimeClient : IAsyncDisposable
{
    private readonly WebSocketClient _socket;

    private RealtimeClient(WebSocketClient socket) => _socket = socket;

    public string ConnectionId { get; private set; } = "";

    public static async Task<RealtimeClient> ConnectAsync(Uri uri)
    {
        var socket = new WebSocketClient(uri.ToString(), "wirehub.v1");
        await socket.ConnectAsync();
        var client = new RealtimeClient(socket);
        var connected = await client.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");
        client.ConnectionId = connected.GetProperty("connectionId").GetString()!;
        return client;
    }

    public async Task<JsonElement> RequestAsync(string json, string replyType)
    {
        await _socket.SendAsync(json);
        using var timeout = new CancellationTokenSource(WirehubProcess.Patience);
        while (true)
        {
            var message = await _socket.ReceiveAsync(timeout.Token);
            if (message.IsClose) throw new InvalidOperationException($"The server closed the connection ({_socket.CloseStatus}) before a {replyType} reply.");
            var frame = JsonDocument.Parse(message.GetString()).RootElement;
            if (frame.GetProperty("type").GetString() == replyType) return frame;
        }
    }

    public Task CloseAsync() => _socket.CloseAsync();

    public ValueTask DisposeAsync() => _socket.DisposeAsync();
}
