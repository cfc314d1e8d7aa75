using System.Text.Json;
using MessagePack;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.MessagePack.Support;

/// <summary>
/// A raw WebSocket client speaking <c>wirehub.v1.msgpack</c> frame by frame. Frames are written as JSON for readability
/// and converted with the MessagePack library's own JSON converter, never with the server's, so the tests check the
/// server against an independent encoder; received frames are converted back the same way.
/// </summary>
internal sealed class MessagePackWireClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private MessagePackWireClient(WebSocketClient socket) => Socket = socket;

    public WebSocketClient Socket { get; }

    public static async Task<MessagePackWireClient> OpenAsync(Uri uri)
    {
        var socket = new WebSocketClient(uri.ToString(), "wirehub.v1.msgpack");
        await socket.ConnectAsync();
        Assert.Equal("wirehub.v1.msgpack", socket.Protocol);
        return new MessagePackWireClient(socket);
    }

    /// <summary>Opens a connection and sends connect; returns the client and the <c>connected</c> reply.</summary>
    public static async Task<(MessagePackWireClient Client, JsonElement Connected)> ConnectAsync(Uri uri, string connect = "{\"type\":\"connect\",\"id\":1}")
    {
        var client = await OpenAsync(uri);
        await client.SendAsync(connect);
        return (client, await client.ExpectAsync("connected"));
    }

    /// <summary>Sends the MessagePack map that <paramref name="json"/> describes, in a binary frame.</summary>
    public ValueTask SendAsync(string json) => SendBytesAsync(MessagePackSerializer.ConvertFromJson(json));

    public ValueTask SendBytesAsync(byte[] frame) => Socket.SendAsync(frame, MessageType.Binary);

    /// <summary>The next frame's raw bytes (null for a close); every frame must be binary.</summary>
    public async Task<byte[]?> ReceiveBytesAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var message = await Socket.ReceiveAsync(timeout.Token);
        if (message.IsClose) return null;
        Assert.True(message.Type == MessageType.Binary, $"Expected a binary frame, got {message.Type}: {message.GetString()}");
        return message.ToArray();
    }

    /// <summary>The next frame as the JSON it stands for (a close gives null).</summary>
    public async Task<JsonElement?> ReceiveAsync() => await ReceiveBytesAsync() is { } frame ? ToJson(frame) : null;

    public static JsonElement ToJson(byte[] frame)
    {
        using var document = JsonDocument.Parse(MessagePackSerializer.ConvertToJson(frame));
        return document.RootElement.Clone();
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

    /// <summary>Reads until the server closes; returns the close code.</summary>
    public async Task<ushort?> ExpectCloseAsync()
    {
        while (true)
        {
            try
            {
                if (await ReceiveBytesAsync() is null) return Socket.CloseStatus;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not Xunit.Sdk.XunitException)
            {
                return Socket.CloseStatus;
            }
        }
    }

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
