using Wirehub.Realtime.Client;
using Wirehub.Realtime.Tests.Client.Support;

namespace Wirehub.Realtime.Tests.Client;

public class KeepAliveTests
{
    [Fact]
    public async Task Ping_is_answered_with_pong()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server);
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync();
        await connecting;

        await connection.SendAsync("""{"type":"ping"}""");
        var pong = await connection.NextAsync();

        Assert.Equal("pong", pong.GetProperty("type").GetString());
        Assert.False(pong.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Silent_server_is_declared_dead_after_its_ping_interval_plus_the_ping_timeout()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server, o => o.PingTimeout = TimeSpan.FromMilliseconds(200));
        var states = new StateRecorder(client);
        var connecting = client.ConnectAsync();
        await server.AcceptSessionAsync(pingInterval: 100, recoveryKey: "rk-silent");
        await connecting;

        // The server now says nothing at all.
        var reconnecting = await states.WaitForAsync(RealtimeClientState.Reconnecting);
        var (_, connect) = await server.AcceptSessionAsync(recovered: true);

        Assert.IsType<TimeoutException>(reconnecting.Error);
        Assert.Equal("rk-silent", connect.GetProperty("recover").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Pings_keep_a_quiet_connection_alive()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        // Silence allowed: 100 ms ping interval + 1.9 s = 2 s; the pings below, 250 ms apart, span 3 s.
        await using var client = TestClient.For(server, o => o.PingTimeout = TimeSpan.FromMilliseconds(1900));
        var states = new StateRecorder(client);
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync(pingInterval: 100);
        await connecting;

        for (int i = 0; i < 12; i++)
        {
            await Task.Delay(250);
            await connection.SendAsync("""{"type":"ping"}""");
            await connection.ExpectAsync("pong");
        }

        Assert.DoesNotContain(RealtimeClientState.Reconnecting, states.States);
    }

    [Fact]
    public async Task Refresh_required_is_answered_with_a_token_from_the_provider()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        int issued = 0;
        await using var client = TestClient.For(server, o => o.TokenProvider = _ => ValueTask.FromResult($"token-{Interlocked.Increment(ref issued)}"));
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync();
        await connecting;

        await connection.SendAsync("""{"type":"refresh_required","expiresIn":30}""");
        var refresh = await connection.ExpectAsync("refresh");

        Assert.Equal("token-2", refresh.GetProperty("token").GetString());
        Assert.True(refresh.GetProperty("id").GetInt64() > 0);
    }
}
