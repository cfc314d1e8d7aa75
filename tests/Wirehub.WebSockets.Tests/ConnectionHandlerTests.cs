using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// A Kestrel endpoint dedicated to WebSockets (<c>ListenOptions.UseWebSocketServer</c>): the engine reads the upgrade
/// request itself (RFC 6455 §4.2), so these tests speak raw TCP to see the exact bytes it answers with.
/// </summary>
public class ConnectionHandlerTests
{
    private const string SampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private const string MalformedRequestReason =
        "The request is not a valid HTTP/1.1 request head; send a WebSocket upgrade request.";

    private const string MalformedExtensionsReason =
        "The Sec-WebSocket-Extensions header is malformed (RFC 6455 §9.1); fix its syntax.";

    private Task<KestrelHost> Start(Func<WebSocketConnection, WebSocketRequest, Task> handler,
        Action<WebSocketServerOptions>? configure = null) =>
        KestrelHost.StartAsync(_ => { }, listen: listen => listen.UseWebSocketServer(handler, configure), services: ConfigureServices);

    /// <summary>The host's services: Kestrel's socket transport here; other transports run the same tests.</summary>
    protected virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    private Task<KestrelHost> StartEcho(Action<WebSocketServerOptions>? configure = null) =>
        Start((connection, _) => EchoHandler.RunAsync(connection), configure);

    private static async Task<RawHttpResponse> Exchange(KestrelHost host, string request)
    {
        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        return await connection.ExchangeAsync(request);
    }

    private static string Request(KestrelHost host, string requestLine = "GET /ws HTTP/1.1", string? key = "Sec-WebSocket-Key: " + RawHttpConnection.SampleKey,
        string version = "Sec-WebSocket-Version: 13", params string[] extra)
    {
        var lines = new List<string> { requestLine, $"Host: 127.0.0.1:{host.Port}", "Upgrade: websocket", "Connection: Upgrade", version };
        if (key is not null) lines.Add(key);
        lines.AddRange(extra);
        return string.Join("\r\n", lines) + "\r\n\r\n";
    }

    private static async Task<RawHttpConnection> Upgrade(KestrelHost host, params string[] extra)
    {
        var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, extra: extra));
        Assert.Equal(101, (await connection.ReadHeadAsync()).StatusCode);
        return connection;
    }

    // A refusal is one short, self-contained response: status, plain-text one-line body of the declared length, and
    // the connection closed after it.
    private static async Task AssertRefused(KestrelHost host, string request, int status, string reasonPhrase, string reason)
    {
        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        var response = await connection.ExchangeAsync(request);

        Assert.Equal("HTTP/1.1", response.Version);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(reasonPhrase, response.ReasonPhrase);
        Assert.Equal("text/plain; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal(Encoding.UTF8.GetByteCount(reason + "\n").ToString(), response.Header("Content-Length"));
        Assert.Equal(reason + "\n", response.Body);
        Assert.Null(response.Header("Sec-WebSocket-Accept"));
        Assert.True(await connection.ServerClosedAsync());
    }

    private static async Task AssertEchoes(KestrelHost host, string text)
    {
        await using var client = new WebSocketClient(host.WebSocketUri());
        await client.ConnectAsync();
        await client.SendAsync(text);
        Assert.Equal(text, (await client.ReceiveAsync()).GetString());
        await client.CloseAsync();
    }

    [Fact]
    public async Task Valid_upgrade_is_answered_with_101_and_the_accept_value_of_the_key()
    {
        await using var host = await StartEcho();

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host));
        var response = await connection.ReadHeadAsync();

        Assert.Equal("HTTP/1.1", response.Version);
        Assert.Equal(101, response.StatusCode);
        Assert.Equal(SampleAccept, response.Header("Sec-WebSocket-Accept"));
        Assert.Equal("websocket", response.Header("Upgrade"));
        Assert.Equal("Upgrade", response.Header("Connection"));
        Assert.Null(response.Header("Sec-WebSocket-Protocol"));
        Assert.Null(response.Header("Sec-WebSocket-Extensions"));
    }

    [Fact]
    public async Task Upgraded_connection_echoes_a_masked_text_frame()
    {
        await using var host = await StartEcho();

        await using var connection = await Upgrade(host);
        await connection.SendAsync(FrameBytes.Text("hello, engine", masked: true));
        var echoed = await connection.ReadFrameAsync();

        Assert.Equal(Opcode.Text, echoed.Opcode);
        Assert.True(echoed.Fin);
        Assert.False(echoed.Masked);
        Assert.Equal("hello, engine", echoed.Text);
    }

    [Fact]
    public async Task Frames_sent_right_behind_the_request_head_are_not_lost()
    {
        await using var host = await StartEcho();

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync([.. Encoding.ASCII.GetBytes(Request(host)), .. FrameBytes.Text("eager", masked: true)]);

        Assert.Equal(101, (await connection.ReadHeadAsync()).StatusCode);
        Assert.Equal("eager", (await connection.ReadFrameAsync()).Text);
    }

    [Fact]
    public async Task Handler_sees_the_path_query_method_and_headers_of_the_request()
    {
        await using var host = await Start(async (connection, request) =>
            await connection.SendTextAsync(
                $"{request.Path}|{request.Query}|{request.Head.Method}|{request.Head.Target}|{request.Head.GetHeader("X-Room")}"));

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, requestLine: "GET /rooms/lobby?user=ada&x=1 HTTP/1.1", extra: "X-Room: lobby"));
        Assert.Equal(101, (await connection.ReadHeadAsync()).StatusCode);

        Assert.Equal("/rooms/lobby|?user=ada&x=1|GET|/rooms/lobby?user=ada&x=1|lobby", (await connection.ReadFrameAsync()).Text);
    }

    [Fact]
    public async Task Request_without_a_query_has_an_empty_query()
    {
        await using var host = await Start(async (connection, request) =>
            await connection.SendTextAsync($"[{request.Path}][{request.Query}]"));

        await using var connection = await Upgrade(host);

        Assert.Equal("[/ws][]", (await connection.ReadFrameAsync()).Text);
    }

    [Fact]
    public async Task Handler_sees_the_clients_address_as_the_remote_end_point()
    {
        var seen = new TaskCompletionSource<WebSocketRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await Start((_, request) =>
        {
            seen.TrySetResult(request);
            return Task.CompletedTask;
        });

        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, host.Port);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Request(host)));
        var request = await seen.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal(client.Client.LocalEndPoint, request.RemoteEndPoint);
    }

    [Fact]
    public async Task Subprotocol_is_chosen_by_the_servers_preference()
    {
        await using var host = await Start(async (connection, _) => await connection.SendTextAsync(connection.SubProtocol ?? "(none)"),
            options =>
            {
                options.Subprotocols.Add("chat.v2");
                options.Subprotocols.Add("chat.v1");
            });

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, extra: "Sec-WebSocket-Protocol: chat.v1, chat.v2"));
        var response = await connection.ReadHeadAsync();

        Assert.Equal(101, response.StatusCode);
        Assert.Equal("chat.v2", response.Header("Sec-WebSocket-Protocol"));
        Assert.Equal("chat.v2", (await connection.ReadFrameAsync()).Text);
    }

    [Fact]
    public async Task No_subprotocol_is_answered_when_none_offered_is_spoken()
    {
        await using var host = await StartEcho(options => options.Subprotocols.Add("chat.v2"));

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, extra: "Sec-WebSocket-Protocol: mqtt"));
        var response = await connection.ReadHeadAsync();

        Assert.Equal(101, response.StatusCode);
        Assert.Null(response.Header("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task Permessage_deflate_offer_is_accepted_and_compressed_frames_echo()
    {
        await using var host = await StartEcho();

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, extra: "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"));
        var response = await connection.ReadHeadAsync();
        // "Hello" compressed with no context takeover: the sample of RFC 7692 §7.2.3.1.
        await connection.SendAsync(FrameBytes.Build(Opcode.Text, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], masked: true, rsv1: true));
        var echoed = await connection.ReadFrameAsync();

        Assert.Equal(101, response.StatusCode);
        Assert.StartsWith("permessage-deflate", response.Header("Sec-WebSocket-Extensions"));
        Assert.Equal(Opcode.Text, echoed.Opcode);
        // The server may send small messages uncompressed; either way it must have inflated what it received.
        Assert.Equal("Hello", echoed.Rsv1 ? Encoding.UTF8.GetString(RawDeflate.Inflate(echoed.Payload)) : echoed.Text);
    }

    [Fact]
    public async Task Permessage_deflate_is_not_accepted_when_the_server_turns_it_off()
    {
        await using var host = await StartEcho(options => options.PerMessageDeflate = null);

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, extra: "Sec-WebSocket-Extensions: permessage-deflate"));
        var response = await connection.ReadHeadAsync();

        Assert.Equal(101, response.StatusCode);
        Assert.Null(response.Header("Sec-WebSocket-Extensions"));
    }

    [Fact]
    public async Task Non_GET_request_is_refused_with_400()
    {
        await using var host = await StartEcho();

        await AssertRefused(host, Request(host, requestLine: "POST /ws HTTP/1.1"), 400, "Bad Request", HandshakeRejection.MethodNotGet.Reason);
    }

    [Fact]
    public async Task HTTP_1_0_request_is_refused_with_400()
    {
        await using var host = await StartEcho();

        await AssertRefused(host, Request(host, requestLine: "GET /ws HTTP/1.0"), 400, "Bad Request", HandshakeRejection.HttpVersionTooOld.Reason);
    }

    [Fact]
    public async Task Missing_key_is_refused_with_400()
    {
        await using var host = await StartEcho();

        await AssertRefused(host, Request(host, key: null), 400, "Bad Request", HandshakeRejection.MissingKey.Reason);
    }

    [Fact]
    public async Task Version_8_is_refused_with_426_naming_version_13()
    {
        await using var host = await StartEcho();
        var request = Request(host, version: "Sec-WebSocket-Version: 8");

        await AssertRefused(host, request, 426, "Upgrade Required", HandshakeRejection.UnsupportedVersion.Reason);
        var response = await Exchange(host, request);
        Assert.Equal("13", response.Header("Sec-WebSocket-Version"));
        Assert.Equal("websocket", response.Header("Upgrade"));
    }

    [Fact]
    public async Task Origin_not_in_the_allowed_list_is_refused_with_403()
    {
        await using var host = await StartEcho(options => options.AllowedOrigins.Add("https://good.example"));

        await AssertRefused(host, Request(host, extra: "Origin: https://evil.example"), 403, "Forbidden",
            HandshakeRejection.OriginNotAllowed.Reason);
    }

    [Fact]
    public async Task Origin_in_the_allowed_list_is_accepted()
    {
        await using var host = await StartEcho(options => options.AllowedOrigins.Add("https://good.example"));

        await using var connection = await Upgrade(host, "Origin: https://good.example");
    }

    [Fact]
    public async Task Malformed_extensions_header_is_refused_with_400()
    {
        await using var host = await StartEcho();

        await AssertRefused(host, Request(host, extra: "Sec-WebSocket-Extensions: permessage-deflate;;"), 400, "Bad Request",
            MalformedExtensionsReason);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET /ws HTTP/1.1\nHost: x\n\n")]
    [InlineData("GET /ws HTTP/1.1\r\nBad Name: x\r\n\r\n")]
    public async Task Bytes_that_are_not_a_request_head_are_refused_with_400(string garbage)
    {
        await using var host = await StartEcho();

        await AssertRefused(host, garbage, 400, "Bad Request", MalformedRequestReason);
    }

    [Fact]
    public async Task TLS_ClientHello_sent_to_the_plain_port_is_refused_with_400_at_once()
    {
        await using var host = await StartEcho(options => options.HandshakeTimeout = TimeSpan.FromMinutes(10));

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        // The start of a TLS 1.2 record carrying a ClientHello: no line end, so only its first bytes can tell.
        await connection.SendAsync([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]);
        var response = await connection.ReadHeadAsync();

        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public async Task Request_head_over_MaxRequestHeadBytes_is_refused_with_431()
    {
        await using var host = await StartEcho(options => options.MaxRequestHeadBytes = 512);

        await AssertRefused(host, Request(host, extra: "X-Padding: " + new string('a', 600)), 431, "Request Header Fields Too Large",
            "The request head exceeds 512 bytes.");
    }

    [Fact]
    public async Task Request_head_within_MaxRequestHeadBytes_is_accepted()
    {
        await using var host = await StartEcho(options => options.MaxRequestHeadBytes = 512);

        await using var connection = await Upgrade(host, "X-Padding: " + new string('a', 200));
    }

    [Fact]
    public async Task Client_that_sends_nothing_is_disconnected_after_the_handshake_timeout()
    {
        await using var host = await StartEcho(options => options.HandshakeTimeout = TimeSpan.FromMilliseconds(200));

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);

        Assert.True(await connection.ServerClosedAsync());
    }

    [Fact]
    public async Task Client_that_stops_halfway_through_its_request_is_disconnected_after_the_handshake_timeout()
    {
        await using var host = await StartEcho(options => options.HandshakeTimeout = TimeSpan.FromMilliseconds(200));

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n");

        Assert.True(await connection.ServerClosedAsync());
    }

    [Fact]
    public async Task Handler_that_throws_closes_the_connection_with_1011()
    {
        await using var host = await Start((_, _) => throw new InvalidOperationException("handler bug"));

        await using var connection = await Upgrade(host);
        var close = await connection.ReadFrameAsync();

        Assert.Equal(Opcode.Close, close.Opcode);
        Assert.Equal(CloseStatus.InternalError, close.CloseCode);
        Assert.False(close.Masked);
    }

    [Fact]
    public async Task Handler_that_throws_after_an_await_closes_the_connection_with_1011()
    {
        await using var host = await Start(async (connection, _) =>
        {
            await connection.ReceiveAsync();
            throw new InvalidOperationException("handler bug");
        });

        await using var connection = await Upgrade(host);
        await connection.SendAsync(FrameBytes.Text("trigger", masked: true));
        var close = await connection.ReadFrameAsync();

        Assert.Equal(Opcode.Close, close.Opcode);
        Assert.Equal(CloseStatus.InternalError, close.CloseCode);
    }

    [Fact]
    public async Task Handler_that_returns_closes_the_connection_with_1000()
    {
        await using var host = await Start((_, _) => Task.CompletedTask);

        await using var connection = await Upgrade(host);
        var close = await connection.ReadFrameAsync();
        // Answer as a client must (masked) so the server completes its closing handshake and closes TCP first.
        await connection.SendAsync(FrameBytes.Build(Opcode.Close, close.Payload[..2], masked: true));

        Assert.Equal(Opcode.Close, close.Opcode);
        Assert.Equal(CloseStatus.NormalClosure, close.CloseCode);
        Assert.True(await connection.ServerClosedAsync());
    }

    [Fact]
    public async Task Server_keeps_serving_after_each_bad_connection()
    {
        await using var host = await StartEcho(options =>
        {
            options.AllowedOrigins.Add("https://good.example");
            options.MaxRequestHeadBytes = 512;
            options.HandshakeTimeout = TimeSpan.FromMilliseconds(500);
        });
        string[] badRequests =
        [
            Request(host, requestLine: "POST /ws HTTP/1.1"),
            Request(host, requestLine: "GET /ws HTTP/1.0"),
            Request(host, key: null),
            Request(host, version: "Sec-WebSocket-Version: 8"),
            Request(host, extra: "Origin: https://evil.example"),
            Request(host, extra: "Sec-WebSocket-Extensions: ;;"),
            Request(host, extra: "X-Padding: " + new string('a', 600)),
            "GARBAGE\r\n\r\n",
        ];

        foreach (var bad in badRequests)
        {
            var refused = await Exchange(host, bad);
            Assert.InRange(refused.StatusCode, 400, 499);
            await AssertEchoes(host, "still serving");
        }

        await using (var silent = await RawHttpConnection.ConnectAsync(host.Port))
        {
            Assert.True(await silent.ServerClosedAsync());
        }
        await AssertEchoes(host, "still serving after a silent client");

        await using (var abandoned = await RawHttpConnection.ConnectAsync(host.Port))
        {
            await abandoned.SendAsync("GET /ws HTTP/1.1\r\nHost: ");
        }
        await AssertEchoes(host, "still serving after an abandoned request");
    }

    [Fact]
    public async Task Server_keeps_serving_after_a_handler_throws()
    {
        await using var host = await Start(async (connection, request) =>
        {
            if (request.Path == "/boom") throw new InvalidOperationException("handler bug");
            await EchoHandler.RunAsync(connection);
        });

        for (int i = 0; i < 3; i++)
        {
            await using (var failing = new WebSocketClient(host.WebSocketUri("/boom")))
            {
                await failing.ConnectAsync();
                Assert.True((await failing.ReceiveAsync()).IsClose);
                Assert.Equal(CloseStatus.InternalError, failing.CloseStatus);
            }
            await AssertEchoes(host, "still serving");
        }
    }

    [Fact]
    public async Task WebSocketClient_connects_negotiates_compression_and_echoes()
    {
        await using var host = await StartEcho(options => options.Subprotocols.Add("echo.v1"));

        await using var client = new WebSocketClient(host.WebSocketUri("/any/path?q=1"), new WebSocketClientOptions { Subprotocols = { "echo.v1" } });
        await client.ConnectAsync();
        var large = new string('w', 70_000);
        await client.SendAsync(large);
        var echoed = (await client.ReceiveAsync()).GetString();
        await client.CloseAsync();

        Assert.Equal("echo.v1", client.Protocol);
        Assert.StartsWith("permessage-deflate", client.Extensions);
        Assert.Equal(large, echoed);
        Assert.Equal(CloseStatus.NormalClosure, client.CloseStatus);
    }
}
