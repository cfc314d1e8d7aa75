using Microsoft.AspNetCore.Builder;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// The server's opening handshake on a real Kestrel, spoken to over raw TCP so the exact status line, headers and body
/// are visible (RFC 6455 §4.2).
/// </summary>
public class HostingHandshakeTests
{
    private static Task<KestrelHost> StartEcho(Action<WebSocketServerOptions>? configure = null) =>
        KestrelHost.StartAsync(app => app.MapWebSocket("/ws", EchoHandler.RunAsync, configure));

    private static async Task<RawHttpResponse> Exchange(KestrelHost host, string request)
    {
        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        return await connection.ExchangeAsync(request);
    }

    private static string Request(KestrelHost host, string requestLine = "GET /ws HTTP/1.1", string upgrade = "Upgrade: websocket",
        string connection = "Connection: Upgrade", string? key = "Sec-WebSocket-Key: " + RawHttpConnection.SampleKey,
        string version = "Sec-WebSocket-Version: 13", params string[] extra)
    {
        var lines = new List<string> { requestLine, $"Host: 127.0.0.1:{host.Port}", upgrade, connection, version };
        if (key is not null) lines.Add(key);
        lines.AddRange(extra);
        return string.Join("\r\n", lines.Where(l => l.Length > 0)) + "\r\n\r\n";
    }

    private static void AssertRefusal(RawHttpResponse response, int status, string reasonFragment)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("text/plain", response.Header("Content-Type"));
        Assert.EndsWith("\n", response.Body);
        Assert.DoesNotContain("\n", response.Body.TrimEnd('\n'));
        Assert.Contains(reasonFragment, response.Body);
        Assert.Null(response.Header("Sec-WebSocket-Accept"));
    }

    [Fact]
    public async Task Valid_upgrade_is_answered_with_101_and_the_accept_value_of_the_key()
    {
        await using var host = await StartEcho();

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host));
        var response = await connection.ReadHeadAsync();

        Assert.Equal(101, response.StatusCode);
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", response.Header("Sec-WebSocket-Accept"));
        Assert.Equal("websocket", response.Header("Upgrade"), ignoreCase: true);
        Assert.Contains("upgrade", response.Header("Connection")!, StringComparison.OrdinalIgnoreCase);
        Assert.Null(response.Header("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task Refusal_declares_its_body_length_so_any_client_can_read_the_reason()
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, version: "Sec-WebSocket-Version: 8"));

        Assert.Null(response.Header("Transfer-Encoding"));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(response.Body).ToString(), response.Header("Content-Length"));
    }

    [Fact]
    public async Task Non_GET_request_is_refused_with_400()
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, requestLine: "POST /ws HTTP/1.1", extra: "Content-Length: 0"));

        AssertRefusal(response, 400, "must be a GET request");
    }

    [Fact]
    public async Task HTTP_1_0_request_is_refused_with_400()
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, requestLine: "GET /ws HTTP/1.0"));

        AssertRefusal(response, 400, "HTTP/1.1 or later");
    }

    [Fact]
    public async Task Missing_key_is_refused_with_400()
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, key: null));

        AssertRefusal(response, 400, "no Sec-WebSocket-Key");
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("AAECAwQFBgcICQoLDA0O")] // 15 bytes
    [InlineData("AAECAwQFBgcICQoLDA0ODxA=")] // 17 bytes
    public async Task Key_that_is_not_16_base64_bytes_is_refused_with_400(string key)
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, key: "Sec-WebSocket-Key: " + key));

        AssertRefusal(response, 400, "exactly 16 bytes");
    }

    [Fact]
    public async Task Missing_Connection_upgrade_is_refused_with_400()
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, connection: "Connection: keep-alive"));

        AssertRefusal(response, 400, "Connection header");
    }

    [Fact]
    public async Task Missing_Upgrade_header_is_refused_with_400()
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, upgrade: "", connection: "Connection: keep-alive"));

        AssertRefusal(response, 400, "Upgrade header");
    }

    [Fact]
    public async Task Version_8_is_refused_with_426_naming_version_13()
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, version: "Sec-WebSocket-Version: 8"));

        AssertRefusal(response, 426, "version 13");
        Assert.Equal("13", response.Header("Sec-WebSocket-Version"));
    }

    [Fact]
    public async Task Origin_not_in_the_allowed_list_is_refused_with_403()
    {
        await using var host = await StartEcho(options => options.AllowedOrigins.Add("https://good.example"));

        var response = await Exchange(host, Request(host, extra: "Origin: https://evil.example"));

        AssertRefusal(response, 403, "Origin");
    }

    [Fact]
    public async Task Origin_in_the_allowed_list_is_accepted_whatever_its_case()
    {
        await using var host = await StartEcho(options => options.AllowedOrigins.Add("https://good.example"));

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, extra: "Origin: https://GOOD.example"));

        Assert.Equal(101, (await connection.ReadHeadAsync()).StatusCode);
    }

    [Fact]
    public async Task Origin_refused_by_the_origin_policy_gets_403()
    {
        await using var host = await StartEcho(options => options.OriginPolicy = origin => origin?.EndsWith(".trusted.example") == true);

        var response = await Exchange(host, Request(host, extra: "Origin: https://elsewhere.example"));

        Assert.Equal(403, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_extensions_header_is_refused_with_400()
    {
        await using var host = await StartEcho();

        var response = await Exchange(host, Request(host, extra: "Sec-WebSocket-Extensions: permessage-deflate;;"));

        AssertRefusal(response, 400, "Sec-WebSocket-Extensions");
    }

    [Fact]
    public async Task Subprotocol_is_chosen_by_the_servers_preference()
    {
        await using var host = await StartEcho(options =>
        {
            options.Subprotocols.Add("chat.v2");
            options.Subprotocols.Add("chat.v1");
        });

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, extra: "Sec-WebSocket-Protocol: chat.v1, chat.v2"));
        var response = await connection.ReadHeadAsync();

        Assert.Equal(101, response.StatusCode);
        Assert.Equal("chat.v2", response.Header("Sec-WebSocket-Protocol"));
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
    public async Task Permessage_deflate_offer_is_accepted()
    {
        await using var host = await StartEcho();

        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(Request(host, extra: "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"));
        var response = await connection.ReadHeadAsync();

        Assert.Equal(101, response.StatusCode);
        Assert.StartsWith("permessage-deflate", response.Header("Sec-WebSocket-Extensions"));
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
    public async Task Server_keeps_serving_after_each_refused_handshake()
    {
        await using var host = await StartEcho(options => options.AllowedOrigins.Add("https://good.example"));
        string[] badRequests =
        [
            Request(host, requestLine: "POST /ws HTTP/1.1", extra: "Content-Length: 0"),
            Request(host, requestLine: "GET /ws HTTP/1.0"),
            Request(host, key: null),
            Request(host, key: "Sec-WebSocket-Key: short"),
            Request(host, connection: "Connection: close"),
            Request(host, upgrade: "Upgrade: h2c"),
            Request(host, version: "Sec-WebSocket-Version: 8"),
            Request(host, extra: "Origin: https://evil.example"),
            Request(host, extra: "Sec-WebSocket-Extensions: ;;"),
            "GARBAGE\r\n\r\n",
        ];

        foreach (var bad in badRequests)
        {
            var refused = await Exchange(host, bad);
            Assert.InRange(refused.StatusCode, 400, 499);

            await using var client = new WebSocketClient(host.WebSocketUri());
            await client.ConnectAsync();
            await client.SendAsync("still serving");
            Assert.Equal("still serving", (await client.ReceiveAsync()).GetString());
            await client.CloseAsync();
        }
    }

}
