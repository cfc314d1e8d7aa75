using System.Text.Json;
using Wirehub.Realtime.Tests.Server.Support;
using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

/// <summary>The wirehub.v1 session over each fallback transport: the same frames as over a WebSocket.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private FallbackServer _server = null!;

    public async Task InitializeAsync() => _server = await FallbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Connect_is_answered_with_connected(TransportKind kind)
    {
        var (client, connected) = await _server.ConnectAsync(kind);
        await using var _ = client;
        Assert.Equal(1, connected.GetProperty("id").GetInt32());
        Assert.False(connected.GetProperty("recovered").GetBoolean());
        Assert.StartsWith("rk", connected.GetProperty("recoveryKey").GetString());
        Assert.Equal(65536, connected.GetProperty("limits").GetProperty("maxMessageSize").GetInt32());
    }

    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Subscriber_publishes_and_gets_its_ack_and_the_message(TransportKind kind)
    {
        var (client, _) = await _server.ConnectAsync(kind);
        await using var _c = client;
        var subscribed = await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:a\"}", "subscribed");
        Assert.Equal("room:a", subscribed.GetProperty("channel").GetString());
        await client.SendAsync("{\"type\":\"publish\",\"id\":3,\"channel\":\"room:a\",\"data\":{\"text\":\"hi\"},\"messageId\":\"m-1\"}");
        var frames = new[] { (await client.ReceiveAsync())!.Value, (await client.ReceiveAsync())!.Value };
        var ack = frames.Single(f => f.GetProperty("type").GetString() == "ack");
        var message = frames.Single(f => f.GetProperty("type").GetString() == "message");
        Assert.Equal(3, ack.GetProperty("id").GetInt32());
        Assert.Equal(1, ack.GetProperty("serial").GetInt64());
        Assert.Equal("m-1", message.GetProperty("id").GetString());
        Assert.Equal("hi", message.GetProperty("data").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Frames_of_one_post_are_answered_in_order(TransportKind kind)
    {
        var (client, _) = await _server.ConnectAsync(kind);
        await using var _c = client;
        await client.SendAsync(
            "{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:b\"}",
            "{\"type\":\"history\",\"id\":3,\"channel\":\"room:b\"}",
            "{\"type\":\"unsubscribe\",\"id\":4,\"channel\":\"room:b\"}");
        Assert.Equal(2, (await client.ExpectAsync("subscribed")).GetProperty("id").GetInt32());
        Assert.Equal(3, (await client.ExpectAsync("history")).GetProperty("id").GetInt32());
        Assert.Equal(4, (await client.ExpectAsync("unsubscribed")).GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Frames_separated_by_crlf_and_blank_lines_are_read_as_frames(TransportKind kind)
    {
        await using var client = await _server.OpenAsync(kind);
        await client.SendAsync("{\"type\":\"connect\",\"id\":1}\r\n\r\n{\"type\":\"ping\"}\r\n\r\n");
        await client.ExpectAsync("connected");
        await client.ExpectAsync("pong");
        // A blank line read as a frame would have been answered with an error before this pong.
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Client_ping_is_answered_with_pong(TransportKind kind)
    {
        await using var client = await _server.OpenAsync(kind);
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Presence_of_a_fallback_client_is_seen_by_a_websocket_client(TransportKind kind)
    {
        var (watcher, _) = await _server.ConnectAsync(TransportKind.WebSocket);
        await using var _w = watcher;
        await watcher.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:p\"}", "subscribed");
        var (client, connected) = await _server.ConnectAsync(kind);
        await using var _c = client;
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:p\"}", "subscribed");
        await client.SendAsync("{\"type\":\"presence.enter\",\"id\":3,\"channel\":\"room:p\",\"data\":{\"name\":\"Ada\"}}");
        var enter = await watcher.ExpectAsync("presence.event");
        Assert.Equal("enter", enter.GetProperty("action").GetString());
        Assert.Equal(connected.GetProperty("connectionId").GetString(), enter.GetProperty("member").GetProperty("connectionId").GetString());
    }
}

public sealed class AuthenticatedSessionTests
{
    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Token_goes_in_the_connect_frame_as_over_a_websocket(TransportKind kind)
    {
        await using var server = await FallbackServer.StartAsync(o => o.TokenSigningKey = TestTokens.Key);
        var (client, connected) = await server.ConnectAsync(kind,
            $"{{\"type\":\"connect\",\"id\":1,\"token\":\"{TestTokens.Create("user-7", TimeSpan.FromMinutes(5))}\"}}");
        await using var _ = client;
        Assert.Equal("user-7", connected.GetProperty("clientId").GetString());
    }

    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Connect_without_a_token_is_closed_with_4001(TransportKind kind)
    {
        await using var server = await FallbackServer.StartAsync(o => o.TokenSigningKey = TestTokens.Key);
        await using var client = await server.OpenAsync(kind);
        await client.SendAsync("{\"type\":\"connect\",\"id\":1}");
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
    }
}
