using System.Net.WebSockets;
using System.Text;
using Wirehub.Interop.Tests.Hosts;
using Wirehub.Interop.Tests.Payloads;
using Wirehub.Interop.Tests.Wire;

namespace Wirehub.Interop.Tests.WirehubServer;

/// <summary>Our server with .NET's own <see cref="ClientWebSocket"/>, in process.</summary>
public sealed class ClientWebSocketTests(WirehubServers servers) : IClassFixture<WirehubServers>, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(InteropTimeouts.LargeMessage);

    private CancellationToken Timeout => _timeout.Token;

    private static string NewPath(string scenario) => $"/{scenario}/{Guid.NewGuid():N}";

    private async Task<ClientWebSocket> ConnectAsync(Uri url, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(url, Timeout);
        return socket;
    }

    private async Task<(WebSocketMessageType Type, byte[] Data, int Frames)> ReceiveMessageAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var data = new MemoryStream();
        int frames = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, Timeout);
            frames++;
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close) return (result.MessageType, data.ToArray(), frames);
        }
    }

    private Task SendTextAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, Timeout);

    [Fact]
    public async Task Text_message_is_echoed()
    {
        using var socket = await ConnectAsync(servers.EchoUrl(NewPath("text")));
        await SendTextAsync(socket, "héllo wörld ✓ 𝄞");

        var echo = await ReceiveMessageAsync(socket);

        Assert.Equal(WebSocketMessageType.Text, echo.Type);
        Assert.Equal("héllo wörld ✓ 𝄞", Encoding.UTF8.GetString(echo.Data));
    }

    [Fact]
    public async Task Binary_message_is_echoed()
    {
        using var socket = await ConnectAsync(servers.EchoUrl(NewPath("binary")));
        await socket.SendAsync(TestPayload.AllByteValues(), WebSocketMessageType.Binary, true, Timeout);

        var echo = await ReceiveMessageAsync(socket);

        Assert.Equal(WebSocketMessageType.Binary, echo.Type);
        Assert.Equal(TestPayload.AllByteValues(), echo.Data);
    }

    [Theory]
    [InlineData(WebSocketMessageType.Text)]
    [InlineData(WebSocketMessageType.Binary)]
    public async Task Empty_message_is_echoed(WebSocketMessageType type)
    {
        using var socket = await ConnectAsync(servers.EchoUrl(NewPath("empty")));
        await socket.SendAsync(ReadOnlyMemory<byte>.Empty, type, true, Timeout);

        var echo = await ReceiveMessageAsync(socket);

        Assert.Equal(type, echo.Type);
        Assert.Empty(echo.Data);
    }

    [Theory]
    [InlineData(WebSocketMessageType.Text)]
    [InlineData(WebSocketMessageType.Binary)]
    public async Task Message_fragmented_by_the_client_arrives_whole(WebSocketMessageType type)
    {
        using var socket = await ConnectAsync(servers.EchoUrl(NewPath("fragments-in")));
        await socket.SendAsync("first "u8.ToArray(), type, endOfMessage: false, Timeout);
        await socket.SendAsync("second "u8.ToArray(), type, endOfMessage: false, Timeout);
        await socket.SendAsync("third"u8.ToArray(), type, endOfMessage: true, Timeout);

        var echo = await ReceiveMessageAsync(socket);

        Assert.Equal(type, echo.Type);
        Assert.Equal("first second third", Encoding.UTF8.GetString(echo.Data));
    }

    [Fact]
    public async Task Message_fragmented_by_the_server_arrives_in_its_frames()
    {
        using var socket = await ConnectAsync(servers.Scenario.UrlFor(NewPath("fragments-out")));
        await SendTextAsync(socket, "!fragments one |two |three");

        var message = await ReceiveMessageAsync(socket);

        Assert.Equal("one two three", Encoding.UTF8.GetString(message.Data));
        // ClientWebSocket hands out at most one frame per receive, so three frames take at least three receives.
        Assert.True(message.Frames >= 3, $"The message took {message.Frames} receives: the server did not send it as 3 frames.");
    }

    [Fact]
    public async Task Permessage_deflate_is_negotiated_with_DangerousDeflateOptions_and_compresses_both_ways()
    {
        var tap = WireTap.Start(servers.Scenario.UrlFor("/"));
        await using var _ = tap;
        string path = NewPath("deflate");
        using var socket = await ConnectAsync(tap.Through(servers.Scenario.UrlFor(path)), options =>
        {
            options.DangerousDeflateOptions = new WebSocketDeflateOptions();
            options.CollectHttpResponseDetails = true;
        });
        var handled = await servers.Scenario.ConnectionAsync(path);
        string text = TestPayload.CompressibleText(8 * 1024);

        await SendTextAsync(socket, text);
        var echo = await ReceiveMessageAsync(socket);

        Assert.StartsWith("permessage-deflate", string.Join(", ", socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"]));
        Assert.StartsWith("permessage-deflate", handled.Extensions);
        Assert.Equal(text, Encoding.UTF8.GetString(echo.Data));
        // RSV1 marks a compressed message (RFC 7692 §6).
        await tap.ClientToServer.WaitForAsync(f => f.Opcode == TappedFrame.Text && f.Rsv1 && f.PayloadLength < 4096, "compressed text frame");
        await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Text && f.Rsv1 && f.PayloadLength < 4096, "compressed text frame");
    }

    [Theory]
    [InlineData(TestPayload.OneMiB, false)]
    [InlineData(TestPayload.SixteenMiB, false)]
    [InlineData(TestPayload.SixteenMiB, true)]
    public async Task Large_binary_message_is_echoed(int size, bool deflate)
    {
        var payload = TestPayload.Random(size);
        using var socket = await ConnectAsync(servers.EchoUrl(NewPath("large")), options =>
        {
            if (deflate) options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        });
        var send = socket.SendAsync(payload, WebSocketMessageType.Binary, true, Timeout);

        var echo = await ReceiveMessageAsync(socket);
        await send;

        Assert.Equal(WebSocketMessageType.Binary, echo.Type);
        Assert.Equal(size, echo.Data.Length);
        Assert.Equal(TestPayload.Sha256Hex(payload), TestPayload.Sha256Hex(echo.Data));
    }

    [Fact]
    public async Task Keep_alive_ping_from_the_client_is_answered_with_its_payload()
    {
        var tap = WireTap.Start(servers.Echo.Url);
        await using var _ = tap;
        // With a keep-alive timeout, ClientWebSocket sends pings and aborts unless a pong with the same payload returns.
        using var socket = await ConnectAsync(tap.Through(servers.EchoUrl(NewPath("client-ping"))), options =>
        {
            options.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
            options.KeepAliveTimeout = TimeSpan.FromSeconds(10);
        });
        // Pongs are read by a pending receive.
        var receive = ReceiveMessageAsync(socket);

        var ping = await tap.ClientToServer.WaitForAsync(f => f.Opcode == TappedFrame.Ping, "ping");
        var pong = await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Pong && f.ControlPayload.SequenceEqual(ping.ControlPayload), "pong echoing the ping");
        await SendTextAsync(socket, "still open");
        var echo = await receive;

        Assert.NotEmpty(ping.ControlPayload);
        Assert.Equal(ping.ControlPayload, pong.ControlPayload);
        Assert.Equal("still open", Encoding.UTF8.GetString(echo.Data));
    }

    [Fact]
    public async Task Ping_from_the_server_is_answered_with_its_payload()
    {
        var tap = WireTap.Start(servers.Scenario.UrlFor("/"));
        await using var _ = tap;
        using var socket = await ConnectAsync(tap.Through(servers.Scenario.UrlFor(NewPath("server-ping"))));
        await SendTextAsync(socket, "!ping from wirehub");
        await SendTextAsync(socket, "still open");

        // ClientWebSocket answers the ping while it receives the echo behind it.
        var echo = await ReceiveMessageAsync(socket);
        var ping = await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Ping, "ping");
        var pong = await tap.ClientToServer.WaitForAsync(f => f.Opcode == TappedFrame.Pong, "pong");

        Assert.Equal("still open", Encoding.UTF8.GetString(echo.Data));
        Assert.Equal("from wirehub", ping.ControlText);
        Assert.Equal("from wirehub", pong.ControlText);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task Close_code_and_reason_from_the_client_reach_the_server_handler(int code)
    {
        string path = NewPath("client-close");
        using var socket = await ConnectAsync(servers.Scenario.UrlFor(path));
        var handled = await servers.Scenario.ConnectionAsync(path);

        await socket.CloseAsync((WebSocketCloseStatus)code, $"client leaves with {code}", Timeout);
        var seenByServer = await handled.ClosedAsync();

        Assert.Equal((ushort)code, seenByServer.Status);
        Assert.Equal($"client leaves with {code}", seenByServer.Reason);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal((WebSocketCloseStatus)code, socket.CloseStatus);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task Close_code_and_reason_from_the_server_reach_the_client(int code)
    {
        string path = NewPath("server-close");
        using var socket = await ConnectAsync(servers.Scenario.UrlFor(path));
        var handled = await servers.Scenario.ConnectionAsync(path);
        await SendTextAsync(socket, $"!close {code} server leaves with {code}");

        var message = await ReceiveMessageAsync(socket);
        // Echo the code to complete the closing handshake (RFC 6455 §5.5.1).
        await socket.CloseOutputAsync(socket.CloseStatus!.Value, null, Timeout);
        var seenByServer = await handled.ClosedAsync();

        Assert.Equal(WebSocketMessageType.Close, message.Type);
        Assert.Equal((WebSocketCloseStatus)code, socket.CloseStatus);
        Assert.Equal($"server leaves with {code}", socket.CloseStatusDescription);
        Assert.Equal((ushort)code, seenByServer.Status);
    }

    [Fact]
    public async Task Client_abort_is_seen_as_1006_and_the_server_keeps_serving()
    {
        string path = NewPath("client-drop");
        await using var bystander = await Bystander.ConnectAsync(servers.Scenario.UrlFor(NewPath("bystander")));
        using var socket = await ConnectAsync(servers.Scenario.UrlFor(path));
        var handled = await servers.Scenario.ConnectionAsync(path);

        socket.Abort();
        var seenByServer = await handled.ClosedAsync();

        Assert.Equal((ushort)1006, seenByServer.Status);
        Assert.Equal("still served", await bystander.EchoAsync("still served"));
        Assert.Equal("newcomer served", await Bystander.EchoOnceAsync(servers.Scenario.UrlFor(NewPath("newcomer")), "newcomer served"));
    }

    [Fact]
    public async Task Server_dropping_tcp_is_an_error_for_the_client_and_the_server_keeps_serving()
    {
        await using var bystander = await Bystander.ConnectAsync(servers.Scenario.UrlFor(NewPath("bystander")));
        using var socket = await ConnectAsync(servers.Scenario.UrlFor(NewPath("server-drop")));
        await SendTextAsync(socket, "!drop");

        var error = await Assert.ThrowsAsync<WebSocketException>(() => ReceiveMessageAsync(socket));

        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, error.WebSocketErrorCode);
        Assert.Equal("still served", await bystander.EchoAsync("still served"));
    }

    [Fact]
    public async Task Invalid_utf8_text_from_the_client_fails_the_connection_with_1007()
    {
        string path = NewPath("invalid-utf8");
        using var socket = await ConnectAsync(servers.Scenario.UrlFor(path));
        var handled = await servers.Scenario.ConnectionAsync(path);
        // ClientWebSocket does not validate what it sends: "κόσμε" followed by an encoded UTF-16 surrogate.
        byte[] invalid = [0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64];
        await socket.SendAsync(invalid, WebSocketMessageType.Text, true, Timeout);

        var message = await ReceiveMessageAsync(socket);
        // Echo the close, as an application using ClientWebSocket must (RFC 6455 §5.5.1).
        await socket.CloseOutputAsync(socket.CloseStatus!.Value, null, Timeout);
        var seenByServer = await handled.ClosedAsync();

        Assert.Equal(WebSocketMessageType.Close, message.Type);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, socket.CloseStatus);
        Assert.Equal((ushort)1007, seenByServer.Status);
    }

    public void Dispose() => _timeout.Dispose();
}
