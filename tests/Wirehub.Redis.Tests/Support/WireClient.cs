using System.Text.Json;
using Wirehub.WebSockets;

namespace Wirehub.Redis.Tests.Support;

/// <summary>A raw WebSocket client speaking the JSON of PROTOCOL.md, frame by frame.</summary>
internal sealed class WireClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private WireClient(WebSocketClient socket) => Socket = socket;

    public WebSocketClient Socket { get; }

    public static async Task<WireClient> OpenAsync(Uri uri)
    {
        var socket = new WebSocketClient(uri.ToString(), "wirehub.v1");
        await socket.ConnectAsync();
        return new WireClient(socket);
    }

    public ValueTask SendAsync(string json) => Socket.SendAsync(json);

    /// <summary>The next frame (a Close gives null); server pings are answered and skipped.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var message = await Socket.ReceiveAsync(timeout.Token);
            if (message.IsClose) return null;
            using var document = JsonDocument.Parse(message.GetString());
            var frame = document.RootElement.Clone();
            if (frame.GetProperty("type").GetString() == "ping")
            {
                await SendAsync("{\"type\":\"pong\"}");
                continue;
            }
            return frame;
        }
    }

    /// <summary>The next frame, which must have <paramref name="type"/>.</summary>
    public async Task<JsonElement> ExpectAsync(string type)
    {
        var frame = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"Expected \"{type}\" but the connection closed ({Socket.CloseStatus}).");
        Assert.True(frame.GetProperty("type").GetString() == type, $"Expected \"{type}\", got {frame.GetRawText()}");
        return frame;
    }

    public async Task<JsonElement> RequestAsync(string json, string replyType)
    {
        await SendAsync(json);
        return await ExpectAsync(replyType);
    }

    /// <summary>
    /// Sends a request whose effect is also pushed to the sender (it is a subscriber too): the reply and the push may
    /// come in either order. Returns the reply.
    /// </summary>
    public async Task<JsonElement> RequestSeenByItselfAsync(string json, string replyType, string pushType)
    {
        await SendAsync(json);
        var frames = new[] { await ReceiveAsync(), await ReceiveAsync() }.Select(f => f!.Value).ToArray();
        Assert.Equal([pushType, replyType], frames.Select(f => f.GetProperty("type").GetString()).OrderBy(t => t == replyType));
        return frames.Single(f => f.GetProperty("type").GetString() == replyType);
    }

    /// <summary>Drops the connection without a closing handshake.</summary>
    public ValueTask AbortAsync() => Socket.DisposeAsync();

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
