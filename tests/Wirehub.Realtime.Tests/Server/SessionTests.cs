using System.Net.Http;
using Wirehub.Realtime.Tests.Server.Support;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.Server;

public sealed class SessionTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    // The default connect timeout, so a busy machine cannot close a test's connection before it sends connect.
    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Connect_is_answered_with_connected_and_the_documented_limits()
    {
        var (client, connected) = await _server.ConnectAsync();
        await using var owned = client;
        Assert.Equal(1, connected.GetProperty("id").GetInt64());
        Assert.StartsWith("c-", connected.GetProperty("clientId").GetString());
        Assert.StartsWith("k-", connected.GetProperty("connectionId").GetString());
        Assert.False(string.IsNullOrEmpty(connected.GetProperty("recoveryKey").GetString()));
        Assert.False(connected.GetProperty("recovered").GetBoolean());
        Assert.False(connected.TryGetProperty("expiresIn", out _));
        var limits = connected.GetProperty("limits");
        Assert.Equal(65536, limits.GetProperty("maxMessageSize").GetInt32());
        Assert.Equal(128, limits.GetProperty("maxSubscriptions").GetInt32());
        Assert.Equal(50, limits.GetProperty("publishRate").GetInt32());
        Assert.Equal(25000, limits.GetProperty("pingInterval").GetInt32());
        Assert.Equal(120000, limits.GetProperty("recoveryWindow").GetInt32());
        Assert.Equal(5000, limits.GetProperty("presenceGrace").GetInt32());
        Assert.Equal(0, connected.GetProperty("subscriptions").GetArrayLength());
    }

    [Fact]
    public async Task Anonymous_client_keeps_the_client_id_it_proposes()
    {
        var (client, connected) = await _server.ConnectAsync("{\"type\":\"connect\",\"id\":1,\"clientId\":\"ada\"}");
        await using var owned = client;
        Assert.Equal("ada", connected.GetProperty("clientId").GetString());
    }

    [Fact]
    public async Task Request_before_connect_fails_with_401_and_the_connection_survives()
    {
        await using var client = await _server.OpenAsync();
        var error = await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:lobby\"}", "error");
        Assert.Equal(401, error.GetProperty("code").GetInt32());
        Assert.Equal(2, error.GetProperty("id").GetInt64());
        Assert.False(error.GetProperty("retriable").GetBoolean());
        await client.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");
    }

    [Fact]
    public async Task No_connect_within_the_timeout_closes_with_4001()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await server.OpenAsync();
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task Malformed_connect_closes_with_4001()
    {
        await using var client = await _server.OpenAsync();
        await client.SendAsync("{\"type\":\"connect\",\"id\":1,\"recover\":\"x\"}");
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task Client_ping_is_answered_with_pong()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var _c = client;
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Handshake_without_the_subprotocol_is_refused_with_400()
    {
        var socket = new WebSocketClient(_server.ConnectionUri.ToString());
        var refused = await Assert.ThrowsAsync<Wirehub.Protocol.WebSocketHandshakeException>(() => socket.ConnectAsync());
        Assert.Equal(400, refused.StatusCode);
    }

    [Fact]
    public async Task Server_pings_at_the_ping_interval()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.PingInterval = TimeSpan.FromMilliseconds(100));
        var (client, _) = await server.ConnectAsync();
        await using var _c = client;
        await client.ExpectAsync("ping");
        await client.SendAsync("{\"type\":\"pong\"}");
        await client.ExpectAsync("ping");
    }

    [Fact]
    public async Task Invalid_recovery_key_closes_with_4004()
    {
        await using var client = await _server.OpenAsync();
        await client.SendAsync("{\"type\":\"connect\",\"id\":1,\"recover\":{\"key\":\"rk1.forged.key\",\"positions\":{}}}");
        Assert.Equal((ushort)4004, await client.ExpectCloseAsync());
    }
}
