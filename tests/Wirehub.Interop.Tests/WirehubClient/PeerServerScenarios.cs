using System.Text;
using Wirehub.Interop.Tests.ChildPeers;
using Wirehub.Interop.Tests.Payloads;
using Wirehub.Interop.Tests.Wire;
using Wirehub.WebSockets;

namespace Wirehub.Interop.Tests.WirehubClient;

/// <summary>
/// Our <see cref="WebSocketClient"/> with a third-party server in a child process. Each derived class names the
/// server; the scenarios are the same for all of them.
/// </summary>
public abstract class PeerServerScenarios(PeerServerFixture fixture) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(InteropTimeouts.LargeMessage);

    private PeerServer Server => fixture.Server;

    private CancellationToken Timeout => _timeout.Token;

    private static string NewPath(string scenario) => $"/{scenario}/{Guid.NewGuid():N}";

    private async Task<WebSocketClient> ConnectAsync(Uri url, Action<WebSocketClientOptions>? configure = null)
    {
        // Keep-alive off: the tests decide every ping that crosses the wire.
        var options = new WebSocketClientOptions { KeepAliveInterval = TimeSpan.Zero };
        configure?.Invoke(options);
        var client = new WebSocketClient(url, options);
        try
        {
            await client.ConnectAsync(Timeout);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return client;
    }

    private async Task<(MessageType Type, byte[] Data)> ReceiveAsync(WebSocketClient client)
    {
        var message = await client.ReceiveAsync(Timeout);
        return (message.Type, message.ToArray());
    }

    private static Task<CloseEventArgs> ClosedEvent(WebSocketClient client)
    {
        var closed = new TaskCompletionSource<CloseEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += (_, e) => closed.TrySetResult(e);
        return closed.Task;
    }

    [Fact]
    public async Task Text_message_is_echoed()
    {
        string path = NewPath("text");
        await using var client = await ConnectAsync(Server.UrlFor(path));
        await client.SendAsync("héllo wörld ✓ 𝄞");

        var seenByServer = await Server.MessageAsync(path);
        var echo = await ReceiveAsync(client);

        Assert.Equal("héllo wörld ✓ 𝄞", seenByServer.Text);
        Assert.Equal(MessageType.Text, echo.Type);
        Assert.Equal("héllo wörld ✓ 𝄞", Encoding.UTF8.GetString(echo.Data));
    }

    [Fact]
    public async Task Binary_message_is_echoed()
    {
        string path = NewPath("binary");
        await using var client = await ConnectAsync(Server.UrlFor(path));
        await client.SendAsync(TestPayload.AllByteValues(), MessageType.Binary);

        var seenByServer = await Server.MessageAsync(path);
        var echo = await ReceiveAsync(client);

        Assert.Equal(TestPayload.AllByteValues(), seenByServer.Bytes);
        Assert.Equal(MessageType.Binary, echo.Type);
        Assert.Equal(TestPayload.AllByteValues(), echo.Data);
    }

    [Theory]
    [InlineData(MessageType.Text)]
    [InlineData(MessageType.Binary)]
    public async Task Empty_message_is_echoed(MessageType type)
    {
        string path = NewPath("empty");
        await using var client = await ConnectAsync(Server.UrlFor(path));
        await client.SendAsync(ReadOnlyMemory<byte>.Empty, type);

        var seenByServer = await Server.MessageAsync(path);
        var echo = await ReceiveAsync(client);

        Assert.Equal(type == MessageType.Binary, seenByServer.Binary);
        Assert.Equal(0, seenByServer.Length);
        Assert.Equal(type, echo.Type);
        Assert.Empty(echo.Data);
    }

    [Theory]
    [InlineData(MessageType.Text)]
    [InlineData(MessageType.Binary)]
    public async Task Message_fragmented_by_our_client_arrives_whole(MessageType type)
    {
        string path = NewPath("fragments-in");
        await using var client = await ConnectAsync(Server.UrlFor(path));
        await client.SendAsync("first "u8.ToArray(), type, endOfMessage: false);
        await client.SendAsync("second "u8.ToArray(), type, endOfMessage: false);
        await client.SendAsync("third"u8.ToArray(), type, endOfMessage: true);

        var seenByServer = await Server.MessageAsync(path);
        var echo = await ReceiveAsync(client);

        Assert.Equal(type == MessageType.Binary, seenByServer.Binary);
        Assert.Equal(TestPayload.Sha256Hex("first second third"u8), seenByServer.Sha256);
        Assert.Equal(type, echo.Type);
        Assert.Equal("first second third", Encoding.UTF8.GetString(echo.Data));
    }

    [Fact]
    public async Task Message_fragmented_by_the_server_arrives_whole()
    {
        var tap = WireTap.Start(Server.UrlFor("/"));
        await using var _ = tap;
        await using var client = await ConnectAsync(tap.Through(Server.UrlFor(NewPath("fragments-out"))));
        await client.SendAsync("!fragments one |two |three");

        var message = await ReceiveAsync(client);

        Assert.Equal("one two three", Encoding.UTF8.GetString(message.Data));
        // The server really fragmented it: a first frame without FIN, then continuations.
        await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Text && !f.Fin, "first frame without FIN");
        await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Continuation && f.Fin, "final continuation frame");
    }

    [Fact]
    public async Task Permessage_deflate_is_negotiated_and_compresses_both_ways()
    {
        var tap = WireTap.Start(Server.UrlFor("/"));
        await using var _ = tap;
        string path = NewPath("deflate");
        await using var client = await ConnectAsync(tap.Through(Server.UrlFor(path)));
        var opened = await Server.OpenedAsync(path);
        string text = TestPayload.CompressibleText(8 * 1024);

        await client.SendAsync(text);
        var echo = await ReceiveAsync(client);

        Assert.StartsWith("permessage-deflate", client.Extensions);
        Assert.StartsWith("permessage-deflate", opened.GetString("extensions"));
        Assert.Equal(text, Encoding.UTF8.GetString(echo.Data));
        // RSV1 marks a compressed message (RFC 7692 §6); compressed, the repetitive text is far shorter than 8 KiB.
        await tap.ClientToServer.WaitForAsync(f => f.Opcode == TappedFrame.Text && f.Rsv1 && f.PayloadLength < 4096, "compressed text frame");
        await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Text && f.Rsv1 && f.PayloadLength < 4096, "compressed text frame");
    }

    [Theory]
    [InlineData(TestPayload.OneMiB, true)]
    [InlineData(TestPayload.SixteenMiB, true)]
    [InlineData(TestPayload.SixteenMiB, false)]
    public async Task Large_binary_message_is_echoed(int size, bool deflate)
    {
        string path = NewPath("large");
        var payload = TestPayload.Random(size);
        await using var client = await ConnectAsync(Server.UrlFor(path), options =>
        {
            if (!deflate) options.PerMessageDeflate = null;
        });
        await client.SendAsync(payload, MessageType.Binary);

        var echo = await ReceiveAsync(client);
        var seenByServer = await Server.MessageAsync(path);

        Assert.Equal(size, seenByServer.Length);
        Assert.Equal(TestPayload.Sha256Hex(payload), seenByServer.Sha256);
        Assert.Equal(MessageType.Binary, echo.Type);
        Assert.Equal(size, echo.Data.Length);
        Assert.Equal(TestPayload.Sha256Hex(payload), TestPayload.Sha256Hex(echo.Data));
    }

    [Fact]
    public async Task Ping_from_our_client_is_answered_with_its_payload()
    {
        var tap = WireTap.Start(Server.UrlFor("/"));
        await using var _ = tap;
        await using var client = await ConnectAsync(tap.Through(Server.UrlFor(NewPath("client-ping"))));
        await client.PingAsync("from wirehub"u8.ToArray());

        var pong = await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Pong, "pong");
        await client.SendAsync("still open");
        var echo = await ReceiveAsync(client);

        Assert.Equal("from wirehub", pong.ControlText);
        Assert.Equal("still open", Encoding.UTF8.GetString(echo.Data));
    }

    [Fact]
    public async Task Ping_from_the_server_is_answered_with_its_payload()
    {
        await using var client = await ConnectAsync(Server.UrlFor(NewPath("server-ping")));
        await client.SendAsync("!ping from the peer");

        // The server reports the pong it got, payload and all; our client answers the ping while receiving.
        var report = await ReceiveAsync(client);

        Assert.Equal("pong:from the peer", Encoding.UTF8.GetString(report.Data));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task Close_code_and_reason_from_our_client_reach_the_server(int code)
    {
        string path = NewPath("client-close");
        await using var client = await ConnectAsync(Server.UrlFor(path));
        var closedEvent = ClosedEvent(client);

        await client.CloseAsync((ushort)code, $"client leaves with {code}", Timeout);
        var seenByServer = await Server.ClosedAsync(path);
        var closed = await closedEvent.WaitAsync(Timeout);

        Assert.Equal(code, seenByServer.GetInt64("code"));
        Assert.Equal($"client leaves with {code}", seenByServer.GetString("reason"));
        // The server echoed the code (RFC 6455 §5.5.1).
        Assert.Equal((ushort)code, client.CloseStatus);
        Assert.Equal(code, closed.Code);
        Assert.True(closed.WasClean);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task Close_code_and_reason_from_the_server_reach_our_client(int code)
    {
        string path = NewPath("server-close");
        await using var client = await ConnectAsync(Server.UrlFor(path));
        var closedEvent = ClosedEvent(client);
        await client.SendAsync($"!close {code} server leaves with {code}");

        var message = await ReceiveAsync(client);
        var closed = await closedEvent.WaitAsync(Timeout);
        var seenByServer = await Server.ClosedAsync(path);

        Assert.Equal(MessageType.Close, message.Type);
        Assert.Equal((ushort)code, client.CloseStatus);
        Assert.Equal(code, closed.Code);
        Assert.Equal($"server leaves with {code}", closed.Reason);
        Assert.True(closed.WasClean);
        Assert.Equal(code, seenByServer.GetInt64("code"));
    }

    [Fact]
    public async Task Our_client_closes_tcp_once_the_closing_handshake_is_over()
    {
        var tap = WireTap.Start(Server.UrlFor("/"));
        await using var _ = tap;
        string path = NewPath("client-close-tcp");
        await using var client = await ConnectAsync(tap.Through(Server.UrlFor(path)));

        await client.CloseAsync(1000, "done", Timeout);

        // RFC 6455 §7.1.1: after the close frames, the server closes TCP first and then the client does, before
        // anything disposes it.
        await tap.ServerToClient.EndedAsync("server side");
        await tap.ClientToServer.EndedAsync("our client's side");
        Assert.Equal(WebSocketState.Closed, client.ReadyState);
        Assert.Equal(1000, (await Server.ClosedAsync(path)).GetInt64("code"));
    }

    [Fact]
    public async Task Our_client_dropping_tcp_is_seen_as_1006_by_the_server()
    {
        string path = NewPath("client-drop");
        var client = await ConnectAsync(Server.UrlFor(path));
        await Server.OpenedAsync(path);

        // Disposing an open client aborts it: no close frame.
        await client.DisposeAsync();
        var seenByServer = await Server.ClosedAsync(path);

        Assert.Equal(1006, seenByServer.GetInt64("code"));
    }

    [Fact]
    public async Task Server_dropping_tcp_is_seen_as_1006_by_our_client()
    {
        await using var client = await ConnectAsync(Server.UrlFor(NewPath("server-drop")));
        var closedEvent = ClosedEvent(client);
        await client.SendAsync("!drop");

        var message = await ReceiveAsync(client);
        var closed = await closedEvent.WaitAsync(Timeout);

        Assert.Equal(MessageType.Close, message.Type);
        Assert.Equal((ushort)1006, client.CloseStatus);
        Assert.Equal(1006, closed.Code);
        Assert.False(closed.WasClean);
    }

    [Fact]
    public async Task Invalid_utf8_text_from_the_server_fails_our_client_with_1007()
    {
        string path = NewPath("invalid-utf8");
        await using var client = await ConnectAsync(Server.UrlFor(path));
        var error = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Error += (_, e) => error.TrySetResult(e.Exception);
        await client.SendAsync("!invalid-utf8");

        var message = await ReceiveAsync(client);
        var seenByServer = await Server.ClosedAsync(path);

        Assert.Equal(MessageType.Close, message.Type);
        Assert.Equal((ushort)1007, client.CloseStatus);
        Assert.IsType<WebSocketProtocolException>(await error.Task.WaitAsync(Timeout));
        Assert.Equal(1007, seenByServer.GetInt64("code"));
    }

    [Fact]
    public async Task Events_deliver_messages_and_the_close_when_a_handler_is_attached_before_open()
    {
        string path = NewPath("events");
        await using var client = new WebSocketClient(Server.UrlFor(path), new WebSocketClientOptions { KeepAliveInterval = TimeSpan.Zero });
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new TaskCompletionSource<MessageEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var closedEvent = ClosedEvent(client);
        client.Opened += (_, _) => opened.TrySetResult();
        client.MessageReceived += (_, e) => received.TrySetResult(e);

        await client.ConnectAsync(Timeout);
        await opened.Task.WaitAsync(Timeout);
        client.Send("hello through events");
        var message = await received.Task.WaitAsync(Timeout);
        client.Close(3000, "done with events");
        var closed = await closedEvent.WaitAsync(Timeout);
        var seenByServer = await Server.ClosedAsync(path);

        Assert.Equal("hello through events", message.Text);
        Assert.Equal(3000, closed.Code);
        Assert.True(closed.WasClean);
        Assert.Equal(3000, seenByServer.GetInt64("code"));
        Assert.Equal("done with events", seenByServer.GetString("reason"));
    }

    public void Dispose() => _timeout.Dispose();
}
