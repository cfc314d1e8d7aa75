using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// Keep-alive pings and dead-peer detection by the shared sweep (about once a second). Tests wait for states with a
/// bound; they never assert on elapsed time.
/// </summary>
public class KeepAliveTests
{
    private static WebSocketOptions ShortKeepAlive() => new()
    {
        KeepAliveInterval = TimeSpan.FromMilliseconds(100),
        KeepAliveTimeout = TimeSpan.FromMilliseconds(100),
        CloseTimeout = TimeSpan.FromSeconds(30),
    };

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public async Task Silent_peer_is_sent_a_ping(WebSocketRole role)
    {
        await using var peer = RawPeer.Create(role, ShortKeepAlive());

        var frame = await peer.ReadFrameAsync();

        Assert.Equal(Opcode.Ping, frame.Opcode);
        Assert.Equal(role == WebSocketRole.Client, frame.Masked);
    }

    [Fact]
    public async Task Peer_that_never_answers_the_ping_is_aborted_with_1006()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, ShortKeepAlive());
        var receive = peer.Connection.ReceiveAsync().AsTask();

        Assert.Equal(Opcode.Ping, (await peer.ReadFrameAsync()).Opcode);
        await Eventually.Until(() => peer.Connection.State == WebSocketState.Closed, "the silent peer is aborted");

        Assert.Equal(CloseStatus.AbnormalClosure, peer.Connection.CloseStatus);
        Assert.Contains("keep-alive", peer.Connection.CloseReason);
        Assert.Equal(1, peer.TransportAborts);
        Assert.True((await receive.WaitAsync(RawPeer.Patience)).IsClose);
    }

    [Fact]
    public async Task Peer_answering_pings_stays_connected()
    {
        // A generous timeout so a busy machine cannot turn a late pong into an abort; pings still come every sweep.
        var options = ShortKeepAlive();
        options.KeepAliveTimeout = TimeSpan.FromSeconds(5);
        await using var peer = RawPeer.Create(WebSocketRole.Server, options);
        var receiving = peer.ReceiveUntilClosedAsync();

        var first = await peer.ReadFrameAsync();
        await peer.SendFrameAsync(Opcode.Pong, first.Payload);
        // A second ping proves the sweep saw the pong: without it the connection would have been aborted instead.
        var second = await peer.ReadFrameAsync();
        await peer.SendFrameAsync(Opcode.Pong, second.Payload);

        Assert.Equal(Opcode.Ping, second.Opcode);
        Assert.Equal(WebSocketState.Open, peer.Connection.State);
        Assert.False(receiving.IsCompleted);
    }

    [Fact]
    public async Task Closing_handshake_left_unanswered_is_aborted_by_the_sweep()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, new WebSocketOptions { CloseTimeout = TimeSpan.FromMilliseconds(50) });

        await peer.Connection.CloseOutputAsync();
        await Eventually.Until(() => peer.Connection.State == WebSocketState.Closed, "the unanswered close is aborted");

        Assert.Equal(CloseStatus.AbnormalClosure, peer.Connection.CloseStatus);
        Assert.Equal(1, peer.TransportAborts);
    }
}
