using Microsoft.AspNetCore.Builder;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>A hosted connection's life on a real Kestrel: the handler, its outcome, and the transport it runs on.</summary>
public class HostingConnectionTests
{
    private static Task<KestrelHost> StartEcho(Action<WebSocketServerOptions>? configure = null) =>
        KestrelHost.StartAsync(app => app.MapWebSocket("/ws", EchoHandler.RunAsync, configure));

    private static async Task<RawHttpConnection> Upgrade(KestrelHost host, string path = "/ws")
    {
        var connection = await RawHttpConnection.ConnectAsync(host.Port);
        await connection.SendAsync(RawHttpConnection.UpgradeRequest(host.Port, path));
        var response = await connection.ReadHeadAsync();
        Assert.Equal(101, response.StatusCode);
        return connection;
    }

    [Fact]
    public async Task Handler_that_throws_closes_the_connection_with_1011()
    {
        await using var host = await KestrelHost.StartAsync(app =>
            app.MapWebSocket("/ws", (WebSocketConnection _) => throw new InvalidOperationException("handler bug")));

        await using var connection = await Upgrade(host);
        var close = await connection.ReadFrameAsync();

        Assert.Equal(Opcode.Close, close.Opcode);
        Assert.Equal(CloseStatus.InternalError, close.CloseCode);
        Assert.False(close.Masked);
    }

    [Fact]
    public async Task Server_keeps_serving_after_a_handler_throws()
    {
        await using var host = await KestrelHost.StartAsync(app =>
        {
            app.MapWebSocket("/boom", (WebSocketConnection _) => throw new InvalidOperationException("handler bug"));
            app.MapWebSocket("/ws", EchoHandler.RunAsync);
        });

        for (int i = 0; i < 3; i++)
        {
            await using (var failing = new WebSocketClient(host.WebSocketUri("/boom")))
            {
                await failing.ConnectAsync();
                Assert.True((await failing.ReceiveAsync()).IsClose);
                Assert.Equal(CloseStatus.InternalError, failing.CloseStatus);
            }
            await using var client = new WebSocketClient(host.WebSocketUri());
            await client.ConnectAsync();
            await client.SendAsync("still serving");
            Assert.Equal("still serving", (await client.ReceiveAsync()).GetString());
        }
    }

    [Fact]
    public async Task Handler_that_returns_closes_the_connection_with_1000()
    {
        await using var host = await KestrelHost.StartAsync(app => app.MapWebSocket("/ws", (WebSocketConnection _) => Task.CompletedTask));

        await using var connection = await Upgrade(host);
        var close = await connection.ReadFrameAsync();
        // Answer as a client must (masked) so the server completes its handshake and closes TCP first.
        await connection.SendAsync(FrameBytes.Build(Opcode.Close, close.Payload[..2], masked: true));

        Assert.Equal(CloseStatus.NormalClosure, close.CloseCode);
        Assert.True(await connection.ServerClosedAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Handler_that_starts_the_close_and_returns_still_delivers_its_close_frame(bool useTransportPipes)
    {
        await using var host = await KestrelHost.StartAsync(app => app.MapWebSocket("/ws",
            (WebSocketConnection connection) => connection.CloseOutputAsync(4000, "handler done").AsTask(),
            options => options.UseTransportPipes = useTransportPipes));

        await using var connection = await Upgrade(host);
        var close = await connection.ReadFrameAsync();

        Assert.Equal(4000, close.CloseCode);
        Assert.Equal("handler done", close.CloseReason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Frame_sent_in_the_same_write_as_the_upgrade_request_is_not_lost(bool useTransportPipes)
    {
        await using var host = await StartEcho(options => options.UseTransportPipes = useTransportPipes);
        await using var connection = await RawHttpConnection.ConnectAsync(host.Port);

        await connection.SendAsync(FrameBytes.Concat(
            System.Text.Encoding.ASCII.GetBytes(RawHttpConnection.UpgradeRequest(host.Port)),
            FrameBytes.Text("eager", masked: true)));
        Assert.Equal(101, (await connection.ReadHeadAsync()).StatusCode);

        Assert.Equal("eager", (await connection.ReadFrameAsync()).Text);
    }

    [Fact]
    public async Task Handler_that_throws_after_starting_the_close_still_delivers_its_close_frame()
    {
        await using var host = await KestrelHost.StartAsync(app => app.MapWebSocket("/ws", async (WebSocketConnection connection) =>
        {
            await connection.CloseOutputAsync(4000, "closing, then failing");
            throw new InvalidOperationException("handler bug after the close");
        }));

        await using var connection = await Upgrade(host);
        var close = await connection.ReadFrameAsync();

        Assert.Equal(4000, close.CloseCode);
    }

    [Fact]
    public async Task Handler_receives_the_http_context_of_the_upgrade_request()
    {
        await using var host = await KestrelHost.StartAsync(app => app.MapWebSocket("/rooms/{room}",
            (connection, context) => connection.SendTextAsync($"room {context.Request.RouteValues["room"]}, user {context.Request.Query["user"]}").AsTask()));

        await using var connection = await Upgrade(host, "/rooms/lobby?user=ada");

        Assert.Equal("room lobby, user ada", (await connection.ReadFrameAsync()).Text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Echo_works_with_and_without_the_transport_pipes(bool useTransportPipes)
    {
        await using var host = await StartEcho(options => options.UseTransportPipes = useTransportPipes);
        var large = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();

        await using var client = new WebSocketClient(host.WebSocketUri());
        await client.ConnectAsync();
        for (int i = 0; i < 100; i++) await client.SendAsync($"message {i}");
        await client.SendAsync(large);
        var echoed = new List<string>();
        for (int i = 0; i < 100; i++) echoed.Add((await client.ReceiveAsync()).GetString());
        var largeEcho = (await client.ReceiveAsync()).ToArray();
        await client.CloseAsync();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"message {i}"), echoed);
        Assert.Equal(large, largeEcho);
        Assert.Equal(CloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Client_vanishing_without_a_close_frame_is_reported_to_the_handler_as_1006()
    {
        var outcome = new TaskCompletionSource<(ushort?, WebSocketState)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await KestrelHost.StartAsync(app => app.MapWebSocket("/ws", async connection =>
        {
            while (!(await connection.ReceiveAsync()).IsClose)
            {
            }
            outcome.TrySetResult((connection.CloseStatus, connection.State));
        }));

        var connection = await Upgrade(host);
        await connection.SendAsync(FrameBytes.Text("about to vanish", masked: true));
        await connection.DisposeAsync();
        var (code, state) = await outcome.Task.WaitAsync(RawPeer.Patience);

        Assert.Equal(CloseStatus.AbnormalClosure, code);
        Assert.Equal(WebSocketState.Closed, state);
    }

    [Fact]
    public async Task Server_fails_a_connection_that_sends_unmasked_frames_with_1002()
    {
        await using var host = await StartEcho();
        await using var connection = await Upgrade(host);

        await connection.SendAsync(FrameBytes.Text("not masked", masked: false));
        var close = await connection.ReadFrameAsync();

        Assert.Equal(CloseStatus.ProtocolError, close.CloseCode);
    }
}
