using Wirehub.Realtime.Tests.Server.Support;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.MessagePack;

/// <summary>The server speaks whichever of wirehub.v1 and wirehub.v1.msgpack the client lists first.</summary>
public sealed class NegotiationTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> AgreedAsync(params string[] offered)
    {
        await using var socket = new WebSocketClient(_server.ConnectionUri.ToString(), offered);
        await socket.ConnectAsync();
        return socket.Protocol;
    }

    [Fact]
    public async Task A_client_offering_only_wirehub_v1_gets_JSON()
    {
        Assert.Equal("wirehub.v1", await AgreedAsync("wirehub.v1"));
    }

    [Fact]
    public async Task A_client_offering_only_wirehub_v1_msgpack_gets_MessagePack()
    {
        Assert.Equal("wirehub.v1.msgpack", await AgreedAsync("wirehub.v1.msgpack"));
    }

    [Fact]
    public async Task A_client_listing_MessagePack_first_gets_MessagePack()
    {
        Assert.Equal("wirehub.v1.msgpack", await AgreedAsync("chat", "wirehub.v1.msgpack", "wirehub.v1"));
    }

    [Fact]
    public async Task A_client_listing_JSON_first_gets_JSON()
    {
        Assert.Equal("wirehub.v1", await AgreedAsync("wirehub.v1", "wirehub.v1.msgpack"));
    }

    [Fact]
    public async Task A_client_offering_neither_is_refused_with_400_naming_both()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.HttpUri("/connection"));
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        request.Headers.Add("Sec-WebSocket-Protocol", "chat");

        using var response = await http.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("wirehub.v1.msgpack", await response.Content.ReadAsStringAsync());
    }
}
