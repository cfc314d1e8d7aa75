using System.Net;
using System.Net.Http;
using Wirehub.Protocol;
using Wirehub.Realtime.Tests.Server.Support;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.Server;

public sealed class AdmissionTests
{
    [Fact]
    public async Task Upgrade_beyond_max_connections_is_answered_503_with_retry_after()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.MaxConnections = 1);
        var (first, _) = await server.ConnectAsync();
        await using var owned = first;
        var socket = new WebSocketClient(server.ConnectionUri.ToString(), "wirehub.v1");
        var refused = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => socket.ConnectAsync());
        Assert.Equal(503, refused.StatusCode);
    }

    [Fact]
    public async Task Slot_is_released_when_the_connection_closes()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.MaxConnections = 1);
        var (first, _) = await server.ConnectAsync();
        await first.Socket.CloseAsync();
        await first.DisposeAsync();
        WireClient? second = null;
        // The server frees the slot once its side of the connection has finished; retry until it has.
        for (int attempt = 0; second is null && attempt < 100; attempt++)
        {
            try { second = await server.OpenAsync(); }
            catch (WebSocketHandshakeException) { await Task.Delay(20); }
        }
        Assert.NotNull(second);
        await second!.DisposeAsync();
    }

    [Fact]
    public async Task Upgrade_beyond_the_connection_rate_is_answered_503_with_retry_after()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.ConnectionRate = 1);
        await using var first = await server.OpenAsync();
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, server.HttpUri("/connection"));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Protocol", "wirehub.v1");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Frames_beyond_the_request_rate_get_429_then_sustained_abuse_closes_with_1013()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.RequestRate = 5);
        var (client, _) = await server.ConnectAsync();
        await using var owned = client;
        for (int i = 0; i < 20; i++) await client.SendAsync("{\"type\":\"ping\"}");
        bool saw429 = false;
        ushort? closed = null;
        while (closed is null)
        {
            var frame = await client.ReceiveAsync();
            if (frame is null) closed = client.Socket.CloseStatus;
            else if (frame.Value.GetProperty("type").GetString() == "error")
            {
                Assert.Equal(429, frame.Value.GetProperty("code").GetInt32());
                saw429 = true;
            }
        }
        Assert.True(saw429);
        Assert.Equal(CloseStatus.TryAgainLater, closed);
    }

    [Fact]
    public async Task Origin_not_in_the_allowlist_is_refused()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.AllowedOrigins.Add("https://app.example"));
        var options = new WebSocketClientOptions { Origin = "https://evil.example" };
        options.Subprotocols.Add("wirehub.v1");
        var socket = new WebSocketClient(server.ConnectionUri, options);
        var refused = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => socket.ConnectAsync());
        Assert.Equal(403, refused.StatusCode);
        var allowed = new WebSocketClientOptions { Origin = "https://app.example" };
        allowed.Subprotocols.Add("wirehub.v1");
        await using var ok = new WebSocketClient(server.ConnectionUri, allowed);
        await ok.ConnectAsync();
    }
}
