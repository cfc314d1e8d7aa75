using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// WebSockets over HTTP/2 (RFC 8441 extended CONNECT): .NET's own ClientWebSocket talking to the engine through a
/// Kestrel endpoint that speaks only HTTP/2 over plain TCP (h2c with prior knowledge).
/// </summary>
public class Http2Tests
{
    private static Task<KestrelHost> StartHttp2Echo() => KestrelHost.StartAsync(
        app => app.MapWebSocket("/ws", async (connection, context) =>
        {
            await connection.SendTextAsync(context.Request.Protocol);
            await EchoHandler.RunAsync(connection);
        }),
        HttpProtocols.Http2);

    private static ClientWebSocket Http2Client()
    {
        var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        return socket;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> Receive(ClientWebSocket socket)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(RawPeer.Patience);
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, timeout.Token);
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage) return (result.MessageType, buffer.ToArray());
        }
    }

    [Fact]
    public async Task ClientWebSocket_connects_over_http2_extended_connect()
    {
        await using var host = await StartHttp2Echo();
        using var socket = Http2Client();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());

        await socket.ConnectAsync(host.WebSocketUri(), invoker, CancellationToken.None);
        var protocol = await Receive(socket);

        // RFC 8441 §5: a successful extended CONNECT is answered 200, not 101.
        Assert.Equal(HttpStatusCode.OK, socket.HttpStatusCode);
        Assert.Equal("HTTP/2", Encoding.UTF8.GetString(protocol.Data));
    }

    [Fact]
    public async Task Messages_flow_both_ways_over_http2()
    {
        await using var host = await StartHttp2Echo();
        using var socket = Http2Client();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var large = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();

        await socket.ConnectAsync(host.WebSocketUri(), invoker, CancellationToken.None);
        await Receive(socket);
        await socket.SendAsync(Encoding.UTF8.GetBytes("over h2"), WebSocketMessageType.Text, true, CancellationToken.None);
        var text = await Receive(socket);
        await socket.SendAsync(large, WebSocketMessageType.Binary, true, CancellationToken.None);
        var binary = await Receive(socket);

        Assert.Equal((WebSocketMessageType.Text, "over h2"), (text.Type, Encoding.UTF8.GetString(text.Data)));
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal(large, binary.Data);
    }

    [Fact]
    public async Task Closing_handshake_completes_over_http2()
    {
        await using var host = await StartHttp2Echo();
        using var socket = Http2Client();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());

        await socket.ConnectAsync(host.WebSocketUri(), invoker, CancellationToken.None);
        await Receive(socket);
        using var timeout = new CancellationTokenSource(RawPeer.Patience);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        Assert.Equal(System.Net.WebSockets.WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Permessage_deflate_is_negotiated_over_http2()
    {
        await using var host = await StartHttp2Echo();
        using var socket = Http2Client();
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var text = string.Concat(Enumerable.Repeat("compressible over h2 ", 1000));

        await socket.ConnectAsync(host.WebSocketUri(), invoker, CancellationToken.None);
        await Receive(socket);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        var echo = await Receive(socket);

        Assert.StartsWith("permessage-deflate", socket.HttpResponseHeaders?["Sec-WebSocket-Extensions"].Single());
        Assert.Equal(text, Encoding.UTF8.GetString(echo.Data));
    }

    [Fact]
    public async Task Server_closing_when_its_handler_returns_reaches_ClientWebSocket_over_http2()
    {
        await using var host = await KestrelHost.StartAsync(
            app => app.MapWebSocket("/ws", (WebSocketConnection connection) => connection.SendTextAsync("bye").AsTask()),
            HttpProtocols.Http2);
        using var socket = Http2Client();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());

        await socket.ConnectAsync(host.WebSocketUri(), invoker, CancellationToken.None);
        var last = await Receive(socket);
        using var timeout = new CancellationTokenSource(RawPeer.Patience);
        var close = await socket.ReceiveAsync(new byte[16], timeout.Token);

        Assert.Equal("bye", Encoding.UTF8.GetString(last.Data));
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }
}
