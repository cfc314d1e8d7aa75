using System.Text;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>The browser-shaped client against a real Kestrel running the engine, and against hand-rolled misbehaving servers.</summary>
public class ClientTests
{
    private static Task<KestrelHost> Serve(Func<WebSocketConnection, Microsoft.AspNetCore.Http.HttpContext, Task> handler,
        Action<WebSocketServerOptions>? configure = null) =>
        KestrelHost.StartAsync(app => app.MapWebSocket("/ws", handler, configure));

    private static TaskCompletionSource<T> Signal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Events_are_raised_in_order_open_messages_close()
    {
        await using var host = await Serve(async (connection, _) =>
        {
            await connection.SendTextAsync("welcome");
            var message = await connection.ReceiveAsync();
            await connection.SendTextAsync("echo: " + message.GetString());
            await connection.CloseAsync(4001, "server done");
        });
        var events = new ConcurrentQueue<string>();
        var closed = Signal<bool>();
        await using var client = new WebSocketClient(host.WebSocketUri());
        client.Opened += (_, _) => events.Enqueue("open");
        client.MessageReceived += (_, e) => events.Enqueue($"message {e.Text}");
        client.Error += (_, e) => events.Enqueue($"error {e.Exception.Message}");
        client.Closed += (_, e) =>
        {
            events.Enqueue($"close {e.Code} {e.Reason} clean={e.WasClean}");
            closed.TrySetResult(true);
        };

        await client.ConnectAsync();
        client.Send("hi");
        await closed.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal(["open", "message welcome", "message echo: hi", "close 4001 server done clean=True"], events);
        Assert.Equal(WebSocketState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task ReadyState_goes_from_connecting_to_open_to_closed()
    {
        await using var host = await Serve((connection, _) => EchoHandler.RunAsync(connection));
        await using var client = new WebSocketClient(host.WebSocketUri());

        var before = client.ReadyState;
        await client.ConnectAsync();
        var open = client.ReadyState;
        await client.CloseAsync();

        Assert.Equal(WebSocketState.Connecting, before);
        Assert.Equal(WebSocketState.Open, open);
        Assert.Equal(WebSocketState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task Send_after_close_raises_error_instead_of_throwing()
    {
        await using var host = await Serve((connection, _) => EchoHandler.RunAsync(connection));
        await using var client = new WebSocketClient(host.WebSocketUri());
        Exception? reported = null;
        client.Error += (_, e) => reported = e.Exception;
        await client.ConnectAsync();
        await client.CloseAsync();

        client.Send("too late");

        Assert.IsType<WebSocketClosedException>(reported);
    }

    [Fact]
    public async Task Binary_messages_arrive_as_byte_arrays_by_default()
    {
        await using var host = await Serve((connection, _) => connection.SendAsync(new byte[] { 1, 2, 3 }, MessageType.Binary).AsTask());
        var received = Signal<object>();
        await using var client = new WebSocketClient(host.WebSocketUri());
        client.MessageReceived += (_, e) => received.TrySetResult(e.Data);

        await client.ConnectAsync();
        var data = await received.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal(BinaryType.ByteArray, client.BinaryType);
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.IsType<byte[]>(data));
    }

    [Fact]
    public async Task Binary_messages_arrive_as_streams_when_BinaryType_is_Stream()
    {
        await using var host = await Serve((connection, _) => connection.SendAsync(new byte[] { 4, 5, 6 }, MessageType.Binary).AsTask());
        var received = Signal<object>();
        await using var client = new WebSocketClient(host.WebSocketUri()) { BinaryType = BinaryType.Stream };
        client.MessageReceived += (_, e) => received.TrySetResult(e.Data);

        await client.ConnectAsync();
        var stream = Assert.IsAssignableFrom<Stream>(await received.Task.WaitAsync(RawPeer.Patience));
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(new byte[] { 4, 5, 6 }, copy.ToArray());
        Assert.False(stream.CanWrite);
    }

    [Fact]
    public async Task Send_and_Close_browser_style_deliver_messages_then_the_close_to_the_server()
    {
        var seen = Signal<string>();
        await using var host = await Serve(async (connection, _) =>
        {
            var texts = new List<string>();
            await foreach (var message in connection.ReadAllAsync())
                texts.Add(message.Type == MessageType.Text ? message.GetString() : Convert.ToHexString(message.ToArray()));
            seen.TrySetResult($"{string.Join(",", texts)} | {connection.CloseStatus} {connection.CloseReason}");
        });
        var closed = Signal<CloseEventArgs>();
        await using var client = new WebSocketClient(host.WebSocketUri());
        client.MessageReceived += (_, _) => { };
        client.Closed += (_, e) => closed.TrySetResult(e);

        await client.ConnectAsync();
        client.Send("first");
        client.Send([0xCA, 0xFE]);
        client.Close(CloseStatus.NormalClosure, "bye now");
        var close = await closed.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal("first,CAFE | 1000 bye now", await seen.Task.WaitAsync(RawPeer.Patience));
        Assert.Equal(CloseStatus.NormalClosure, close.Code);
        Assert.True(close.WasClean);
    }

    [Fact]
    public async Task ReceiveAllAsync_yields_each_message_until_the_server_closes()
    {
        await using var host = await Serve(async (connection, _) =>
        {
            foreach (var text in new[] { "one", "two", "three" }) await connection.SendTextAsync(text);
            await connection.CloseAsync(CloseStatus.GoingAway, "that is all");
        });
        await using var client = new WebSocketClient(host.WebSocketUri());
        var closed = Signal<CloseEventArgs>();
        client.Closed += (_, e) => closed.TrySetResult(e);

        await client.ConnectAsync();
        var texts = new List<string>();
        await foreach (var message in client.ReceiveAllAsync()) texts.Add(message.GetString());

        Assert.Equal(["one", "two", "three"], texts);
        Assert.Equal(CloseStatus.GoingAway, client.CloseStatus);
        Assert.Equal("that is all", (await closed.Task.WaitAsync(RawPeer.Patience)).Reason);
        Assert.Equal(WebSocketState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task Custom_headers_are_seen_by_the_server()
    {
        await using var host = await Serve((connection, context) =>
            connection.SendTextAsync($"{context.Request.Headers["X-Api-Key"]} {context.Request.Headers.Authorization}").AsTask());
        var options = new WebSocketClientOptions();
        options.Headers.Add(new("X-Api-Key", "k-123"));
        options.Headers.Add(new("Authorization", "Bearer token"));
        await using var client = new WebSocketClient(host.WebSocketUri(), options);

        await client.ConnectAsync();

        Assert.Equal("k-123 Bearer token", (await client.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task Origin_is_sent_when_set()
    {
        await using var host = await Serve((connection, context) => connection.SendTextAsync(context.Request.Headers.Origin.ToString()).AsTask(),
            options => options.AllowedOrigins.Add("https://app.example"));
        await using var client = new WebSocketClient(host.WebSocketUri(), new WebSocketClientOptions { Origin = "https://app.example" });

        await client.ConnectAsync();

        Assert.Equal("https://app.example", (await client.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task Subprotocol_is_negotiated_by_the_servers_preference()
    {
        await using var host = await Serve((connection, _) => connection.SendTextAsync(connection.SubProtocol ?? "none").AsTask(), options =>
        {
            options.Subprotocols.Add("graphql-ws");
            options.Subprotocols.Add("json");
        });
        await using var client = new WebSocketClient(host.WebSocketUri().ToString(), "json", "graphql-ws");

        await client.ConnectAsync();

        Assert.Equal("graphql-ws", client.Protocol);
        Assert.Equal("graphql-ws", (await client.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task Protocol_is_empty_when_the_server_speaks_none_of_the_offered_subprotocols()
    {
        await using var host = await Serve((connection, _) => EchoHandler.RunAsync(connection), options => options.Subprotocols.Add("v9"));
        await using var client = new WebSocketClient(host.WebSocketUri().ToString(), "v1");

        await client.ConnectAsync();

        Assert.Equal("", client.Protocol);
    }

    [Fact]
    public async Task Server_answering_a_subprotocol_that_was_not_offered_fails_the_handshake()
    {
        await using var server = new HandRolledServer(async (stream, head, token) =>
        {
            await stream.WriteAsync(HandRolledServer.SwitchingProtocols(head, "Sec-WebSocket-Protocol: sneaky"), token);
            await Task.Delay(Timeout.Infinite, token);
        });
        await using var client = new WebSocketClient(server.Uri.ToString(), "chat");

        var error = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => client.ConnectAsync());

        Assert.Contains("not offered", error.Message);
        Assert.Null(error.StatusCode);
        Assert.Equal(WebSocketState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task Refused_handshake_throws_with_the_status_code_and_the_servers_reason()
    {
        await using var host = await Serve((connection, _) => EchoHandler.RunAsync(connection), options => options.AllowedOrigins.Add("https://app.example"));
        var errors = new ConcurrentQueue<Exception>();
        await using var client = new WebSocketClient(host.WebSocketUri(), new WebSocketClientOptions { Origin = "https://evil.example" });
        client.Error += (_, e) => errors.Enqueue(e.Exception);

        var error = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => client.ConnectAsync());

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("Forbidden", error.ReasonPhrase);
        Assert.Contains(HandshakeRejection.OriginNotAllowed.Reason, error.Message);
        Assert.Same(error, Assert.Single(errors));
    }

    [Fact]
    public async Task Refusal_with_a_chunked_body_carries_the_servers_reason()
    {
        await using var server = new HandRolledServer(async (stream, _, token) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n" +
                "10\r\nExpected subprot\r\n11\r\nocol wirehub.v1.\n\r\n0\r\n\r\n"), token);
            await Task.Delay(Timeout.Infinite, token);
        });
        await using var client = new WebSocketClient(server.Uri);

        var error = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => client.ConnectAsync());

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("Expected subprotocol wirehub.v1.", error.Message);
    }

    [Fact]
    public async Task Handshake_times_out_against_a_server_that_never_answers()
    {
        await using var server = new HandRolledServer((_, _, token) => Task.Delay(Timeout.Infinite, token));
        var closed = Signal<CloseEventArgs>();
        await using var client = new WebSocketClient(server.Uri, new WebSocketClientOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        client.Closed += (_, e) => closed.TrySetResult(e);

        var error = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => client.ConnectAsync());
        var close = await closed.Task.WaitAsync(RawPeer.Patience);

        Assert.Contains("timed out", error.Message);
        Assert.Equal(CloseStatus.AbnormalClosure, close.Code);
        Assert.False(close.WasClean);
    }

    [Fact]
    public async Task Connection_refused_is_reported_as_a_handshake_exception()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var client = new WebSocketClient(new Uri($"ws://127.0.0.1:{port}/"));

        var error = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => client.ConnectAsync());

        Assert.Contains("Could not connect", error.Message);
    }

    [Fact]
    public async Task Permessage_deflate_is_offered_and_used_by_default()
    {
        await using var host = await Serve((connection, _) => EchoHandler.RunAsync(connection));
        await using var client = new WebSocketClient(host.WebSocketUri());
        string text = string.Concat(Enumerable.Repeat("squeeze this text ", 500));

        await client.ConnectAsync();
        await client.SendAsync(text);

        Assert.StartsWith("permessage-deflate", client.Extensions);
        Assert.Equal(text, (await client.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task Permessage_deflate_is_not_offered_when_turned_off()
    {
        await using var host = await Serve((connection, _) => connection.SendTextAsync(connection.Extensions ?? "none").AsTask());
        await using var client = new WebSocketClient(host.WebSocketUri(), new WebSocketClientOptions { PerMessageDeflate = null });

        await client.ConnectAsync();

        Assert.Equal("", client.Extensions);
        Assert.Equal("none", (await client.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task Masked_frame_from_the_server_fails_the_connection_with_1002_and_raises_Error()
    {
        await using var server = new HandRolledServer(async (stream, head, token) =>
        {
            await stream.WriteAsync(HandRolledServer.SwitchingProtocols(head), token);
            await stream.WriteAsync(FrameBytes.Text("masked by mistake", masked: true), token);
            // Wait for the client's close frame, then close TCP first, as a server does.
            _ = await stream.ReadAsync(new byte[256], token);
        });
        var errors = new ConcurrentQueue<Exception>();
        var closed = Signal<CloseEventArgs>();
        await using var client = new WebSocketClient(server.Uri);
        client.MessageReceived += (_, _) => { };
        client.Error += (_, e) => errors.Enqueue(e.Exception);
        client.Closed += (_, e) => closed.TrySetResult(e);

        await client.ConnectAsync();
        var close = await closed.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal(CloseStatus.ProtocolError, close.Code);
        Assert.Equal(CloseStatus.ProtocolError, Assert.IsType<WebSocketProtocolException>(Assert.Single(errors)).CloseCode);
    }

    [Fact]
    public async Task Close_without_a_message_handler_still_raises_Closed()
    {
        await using var host = await Serve((connection, _) => EchoHandler.RunAsync(connection));
        var closed = Signal<CloseEventArgs>();
        await using var client = new WebSocketClient(host.WebSocketUri());
        client.Closed += (_, e) => closed.TrySetResult(e);

        await client.ConnectAsync();
        client.Close(4002, "no handler");
        var close = await closed.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal(4002, close.Code);
        Assert.True(close.WasClean);
    }

    [Fact]
    public async Task Disposing_an_open_client_raises_an_unclean_Closed()
    {
        await using var host = await Serve((connection, _) => EchoHandler.RunAsync(connection));
        var closed = Signal<CloseEventArgs>();
        var client = new WebSocketClient(host.WebSocketUri());
        client.Closed += (_, e) => closed.TrySetResult(e);

        await client.ConnectAsync();
        await client.DisposeAsync();
        var close = await closed.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal(CloseStatus.AbnormalClosure, close.Code);
        Assert.False(close.WasClean);
        Assert.Equal(WebSocketState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task ReceiveAsync_is_refused_while_MessageReceived_delivers_the_messages()
    {
        await using var host = await Serve((connection, _) => EchoHandler.RunAsync(connection));
        await using var client = new WebSocketClient(host.WebSocketUri());
        client.MessageReceived += (_, _) => { };

        await client.ConnectAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.ReceiveAsync());
        Assert.Contains("Message event", error.Message);
    }

    [Fact]
    public async Task Frame_sent_right_behind_the_101_in_the_same_write_is_not_lost()
    {
        await using var server = new HandRolledServer(async (stream, head, token) =>
        {
            await stream.WriteAsync(FrameBytes.Concat(HandRolledServer.SwitchingProtocols(head), FrameBytes.Text("right behind", masked: false)), token);
            await Task.Delay(Timeout.Infinite, token);
        });
        await using var client = new WebSocketClient(server.Uri);

        await client.ConnectAsync();

        Assert.Equal("right behind", (await client.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task Server_dropping_the_connection_without_a_close_frame_closes_uncleanly_with_1006()
    {
        await using var server = new HandRolledServer((stream, head, token) => stream.WriteAsync(HandRolledServer.SwitchingProtocols(head), token).AsTask());
        var closed = Signal<CloseEventArgs>();
        await using var client = new WebSocketClient(server.Uri);
        client.MessageReceived += (_, _) => { };
        client.Closed += (_, e) => closed.TrySetResult(e);

        await client.ConnectAsync();
        var close = await closed.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal(CloseStatus.AbnormalClosure, close.Code);
        Assert.False(close.WasClean);
    }

    [Fact]
    public async Task Wrong_accept_value_fails_the_handshake()
    {
        await using var server = new HandRolledServer(async (stream, _, token) =>
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"), token);
            await Task.Delay(Timeout.Infinite, token);
        });
        await using var client = new WebSocketClient(server.Uri);

        var error = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => client.ConnectAsync());

        Assert.Contains("Sec-WebSocket-Accept", error.Message);
    }

    [Fact]
    public async Task Handshake_response_larger_than_the_limit_fails_the_handshake()
    {
        await using var server = new HandRolledServer(async (stream, head, token) =>
        {
            await stream.WriteAsync(HandRolledServer.SwitchingProtocols(head, "X-Padding: " + new string('p', 4000)), token);
            await Task.Delay(Timeout.Infinite, token);
        });
        await using var client = new WebSocketClient(server.Uri, new WebSocketClientOptions { MaxHandshakeResponseBytes = 1024 });

        var error = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => client.ConnectAsync());

        Assert.Contains("1024 bytes", error.Message);
    }

    [Theory]
    [InlineData("ftp://example.com/")]
    [InlineData("ws://example.com/#fragment")]
    public void Url_that_is_not_a_websocket_url_is_refused(string url)
    {
        Assert.Throws<ArgumentException>(() => new WebSocketClient(new Uri(url)));
    }

    [Fact]
    public async Task Sending_before_connecting_says_to_connect_first()
    {
        await using var client = new WebSocketClient(new Uri("ws://127.0.0.1:1/"));

        var error = Assert.Throws<InvalidOperationException>(() => client.Send("too early"));

        Assert.Contains("ConnectAsync", error.Message);
    }
}
