using Wirehub.Realtime.Client;
using Wirehub.Realtime.Tests.Client.Support;

namespace Wirehub.Realtime.Tests.Client;

public class ConnectionTests
{
    [Fact]
    public async Task Connect_sends_connect_and_takes_the_ids_from_connected()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server, o => o.ClientId = "ada");

        var connecting = client.ConnectAsync();
        var (_, connect) = await server.AcceptSessionAsync(connectionId: "k-91a");
        await connecting;

        Assert.Equal("ada", connect.GetProperty("clientId").GetString());
        Assert.True(connect.GetProperty("id").GetInt64() > 0);
        Assert.False(connect.TryGetProperty("token", out _));
        Assert.False(connect.TryGetProperty("recover", out _));
        Assert.Equal((RealtimeClientState.Connected, "ada", "k-91a"), (client.State, client.ClientId, client.ConnectionId));
    }

    [Fact]
    public async Task Connect_carries_the_configured_token()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server, o => o.Token = "eyJ.token");

        var connecting = client.ConnectAsync();
        var (_, connect) = await server.AcceptSessionAsync();
        await connecting;

        Assert.Equal("eyJ.token", connect.GetProperty("token").GetString());
    }

    [Fact]
    public async Task Connect_asks_the_token_provider_when_one_is_configured()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server, o =>
        {
            o.Token = "ignored";
            o.TokenProvider = _ => ValueTask.FromResult("from-provider");
        });

        var connecting = client.ConnectAsync();
        var (_, connect) = await server.AcceptSessionAsync();
        await connecting;

        Assert.Equal("from-provider", connect.GetProperty("token").GetString());
    }

    [Fact]
    public async Task State_goes_from_disconnected_through_connecting_to_connected()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server);
        var states = new StateRecorder(client);
        var before = client.State;

        var connecting = client.ConnectAsync();
        await server.AcceptSessionAsync();
        await connecting;

        Assert.Equal(RealtimeClientState.Disconnected, before);
        Assert.Equal([RealtimeClientState.Connecting, RealtimeClientState.Connected], states.States);
    }

    [Fact]
    public async Task First_connect_refused_with_4001_throws_and_leaves_the_client_disconnected()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server);

        var connecting = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.ExpectAsync("connect");
        await connection.CloseAsync(4001, "invalid token");
        var error = await Assert.ThrowsAsync<RealtimeException>(() => connecting);

        Assert.Equal(4001, error.Code);
        Assert.Equal(RealtimeClientState.Disconnected, client.State);
    }

    [Fact]
    public async Task Close_sends_1000_and_the_client_ends_closed()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server);
        var states = new StateRecorder(client);
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync();
        await connecting;

        await client.CloseAsync();
        await connection.Finished.WaitAsync(FakeWirehubServer.Patience);

        Assert.Equal(RealtimeClientState.Closed, client.State);
        Assert.Equal((ushort?)1000, states.Changes[^1].CloseCode);
    }

    [Fact]
    public async Task Close_code_4001_ends_the_client_without_reconnecting_and_fails_waiting_requests()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server);
        var states = new StateRecorder(client);
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync();
        await connecting;
        var publish = client.Channel("room:lobby").PublishAsync(new { text = "hi" });
        await connection.ExpectAsync("publish");

        await connection.CloseAsync(4001, "token revoked");
        var closed = await states.WaitForAsync(RealtimeClientState.Closed);
        var error = await Assert.ThrowsAsync<RealtimeException>(() => publish);

        Assert.Equal((ushort?)4001, closed.CloseCode);
        Assert.Equal(4001, error.Code);
        Assert.DoesNotContain(RealtimeClientState.Reconnecting, states.States);
    }

    [Fact]
    public async Task Channel_names_outside_the_allowed_characters_are_refused()
    {
        await using var client = new RealtimeClient(new Uri("ws://127.0.0.1:9/connection"));

        Assert.Throws<ArgumentException>(() => client.Channel("room lobby"));
    }

    [Fact]
    public async Task The_same_name_gives_the_same_channel()
    {
        await using var client = new RealtimeClient(new Uri("ws://127.0.0.1:9/connection"));

        Assert.Same(client.Channel("room:lobby"), client.Channel("room:lobby"));
    }
}
