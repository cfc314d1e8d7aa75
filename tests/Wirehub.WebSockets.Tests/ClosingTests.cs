using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>The closing handshake (RFC 6455 §5.5.1, §7) over in-memory pipes, in both roles.</summary>
public class ClosingTests
{
    private static WebSocketOptions LongCloseTimeout() => new() { CloseTimeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Server_echoes_the_peers_close_code_and_closes_the_transport_first()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, LongCloseTimeout());

        await peer.SendCloseAsync(CloseStatus.GoingAway, "leaving");
        var message = await peer.Connection.ReceiveAsync();
        var frames = await peer.ReadUntilOutputEndsAsync();

        // The peer never ended its side: the server shut the transport on its own (§7.1.1).
        Assert.True(message.IsClose);
        var echo = Assert.Single(frames);
        Assert.Equal(Opcode.Close, echo.Opcode);
        Assert.Equal(CloseStatus.GoingAway, echo.CloseCode);
        Assert.Equal(CloseStatus.GoingAway, peer.Connection.CloseStatus);
        Assert.Equal("leaving", peer.Connection.CloseReason);
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
    }

    [Fact]
    public async Task Client_echoes_the_servers_close_and_waits_for_the_server_to_close_the_transport()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Client, LongCloseTimeout());
        var receive = peer.Connection.ReceiveAsync().AsTask();

        await peer.SendCloseAsync(CloseStatus.NormalClosure, "done");
        var echo = await peer.ReadFrameAsync();
        Assert.Equal(CloseStatus.NormalClosure, echo.CloseCode);
        Assert.False(receive.IsCompleted);
        Assert.False(peer.OutputHasEnded());
        Assert.Equal(WebSocketState.Closing, peer.Connection.State);

        peer.CloseTransport();
        var message = await receive.WaitAsync(RawPeer.Patience);

        Assert.True(message.IsClose);
        Assert.Empty(await peer.ReadUntilOutputEndsAsync());
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
        Assert.Equal(CloseStatus.NormalClosure, peer.Connection.CloseStatus);
    }

    [Fact]
    public async Task Server_initiated_close_completes_when_the_peer_answers_and_the_server_closes_the_transport()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, LongCloseTimeout());

        var closing = peer.Connection.CloseAsync(CloseStatus.NormalClosure, "shutting down");
        var close = await peer.ReadFrameAsync();
        Assert.Equal(CloseStatus.NormalClosure, close.CloseCode);
        Assert.Equal("shutting down", close.CloseReason);
        Assert.False(closing.IsCompleted);
        await peer.SendCloseAsync(CloseStatus.NormalClosure);
        await closing.WaitAsync(RawPeer.Patience);

        Assert.Empty(await peer.ReadUntilOutputEndsAsync());
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
    }

    [Fact]
    public async Task Client_initiated_close_completes_only_after_the_server_closes_the_transport()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Client, LongCloseTimeout());

        var closing = peer.Connection.CloseAsync(4000, "app done");
        var close = await peer.ReadFrameAsync();
        Assert.True(close.Masked);
        Assert.Equal(4000, close.CloseCode);
        await peer.SendCloseAsync(4000);
        Assert.False(closing.IsCompleted);
        Assert.False(peer.OutputHasEnded());
        peer.CloseTransport();
        await closing.WaitAsync(RawPeer.Patience);

        Assert.Empty(await peer.ReadUntilOutputEndsAsync());
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
        Assert.Equal((ushort)4000, peer.Connection.CloseStatus);
    }

    [Fact]
    public async Task CloseAsync_without_a_receive_loop_reads_past_pending_messages_to_the_close()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, LongCloseTimeout());
        await peer.SendTextAsync("unread 1");
        await peer.SendFrameAsync(Opcode.Binary, new byte[300]);

        var closing = peer.Connection.CloseAsync();
        Assert.Equal(Opcode.Close, (await peer.ReadFrameAsync()).Opcode);
        await peer.SendCloseAsync(CloseStatus.NormalClosure, "ok");
        await closing.WaitAsync(RawPeer.Patience);

        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
        Assert.Equal("ok", peer.Connection.CloseReason);
    }

    [Fact]
    public async Task CloseAsync_with_a_receive_loop_lets_the_loop_see_the_close()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, LongCloseTimeout());
        var loop = peer.ReceiveUntilClosedAsync();

        var closing = peer.Connection.CloseAsync();
        await peer.ReadFrameAsync();
        await peer.SendTextAsync("in flight");
        await peer.SendCloseAsync(CloseStatus.NormalClosure);
        await closing.WaitAsync(RawPeer.Patience);

        Assert.Equal(["in flight"], await loop);
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public async Task CloseAsync_aborts_the_connection_when_the_peer_never_answers(WebSocketRole role)
    {
        await using var peer = RawPeer.Create(role, new WebSocketOptions { CloseTimeout = TimeSpan.FromMilliseconds(200) });

        await peer.Connection.CloseAsync(CloseStatus.NormalClosure).WaitAsync(RawPeer.Patience);

        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
        Assert.Equal(CloseStatus.AbnormalClosure, peer.Connection.CloseStatus);
        Assert.Equal(1, peer.TransportAborts);
        var frames = await peer.ReadUntilOutputEndsAsync();
        Assert.Equal(Opcode.Close, Assert.Single(frames).Opcode);
    }

    [Fact]
    public async Task CloseOutputAsync_sends_the_close_frame_and_returns_without_waiting()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, LongCloseTimeout());

        await peer.Connection.CloseOutputAsync(CloseStatus.PolicyViolation, "no");
        var close = await peer.ReadFrameAsync();

        Assert.Equal(CloseStatus.PolicyViolation, close.CloseCode);
        Assert.Equal(WebSocketState.Closing, peer.Connection.State);
    }

    [Fact]
    public async Task Nothing_is_sent_after_the_close_frame_not_even_a_pong()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, LongCloseTimeout());
        await peer.Connection.CloseOutputAsync();

        await peer.SendFrameAsync(Opcode.Ping, RawPeer.Utf8("late ping"));
        await peer.SendCloseAsync(CloseStatus.NormalClosure);
        var message = await peer.Connection.ReceiveAsync();
        var frames = await peer.ReadUntilOutputEndsAsync();

        Assert.True(message.IsClose);
        Assert.Equal([Opcode.Close], frames.Select(f => f.Opcode));
    }

    [Theory]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(5000)]
    public async Task Closing_with_a_code_not_valid_on_the_wire_is_refused(int code)
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => peer.Connection.CloseAsync((ushort)code));
        Assert.Equal(WebSocketState.Open, peer.Connection.State);
    }

    [Fact]
    public async Task Close_reason_of_123_bytes_is_sent_whole()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        string reason = new string('é', 61) + "x"; // 123 bytes of UTF-8

        await peer.Connection.CloseOutputAsync(CloseStatus.NormalClosure, reason);
        var close = await peer.ReadFrameAsync();

        Assert.Equal(125, close.Payload.Length);
        Assert.Equal(reason, close.CloseReason);
    }

    [Fact]
    public async Task Closing_with_a_reason_over_123_bytes_is_refused()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => peer.Connection.CloseAsync(CloseStatus.NormalClosure, new string('é', 62)));
        Assert.Equal(WebSocketState.Open, peer.Connection.State);
    }

    [Fact]
    public async Task Failing_server_closes_the_transport_once_the_peers_close_arrives()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, LongCloseTimeout());
        var receive = peer.Connection.ReceiveAsync().AsTask();

        await peer.SendFrameAsync((Opcode)3, []);
        Assert.Equal(CloseStatus.ProtocolError, (await peer.ReadFrameAsync()).CloseCode);
        await peer.SendTextAsync("still talking");
        Assert.False(receive.IsCompleted);
        await peer.SendCloseAsync(CloseStatus.ProtocolError);

        Assert.Empty(await peer.ReadUntilOutputEndsAsync());
        Assert.True((await receive.WaitAsync(RawPeer.Patience)).IsClose);
        Assert.Equal(CloseStatus.ProtocolError, peer.Connection.CloseStatus);
    }

    [Fact]
    public async Task Failing_connection_drains_input_until_the_close_timeout_when_the_peer_never_closes()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, new WebSocketOptions { CloseTimeout = TimeSpan.FromMilliseconds(300) });
        var receive = peer.Connection.ReceiveAsync().AsTask();

        await peer.SendFrameAsync((Opcode)3, []);
        await peer.SendTextAsync("ignored");

        Assert.True((await receive.WaitAsync(RawPeer.Patience)).IsClose);
        var frames = await peer.ReadUntilOutputEndsAsync();
        Assert.Equal(CloseStatus.ProtocolError, Assert.Single(frames).CloseCode);
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
    }

    [Fact]
    public async Task Failing_client_waits_for_the_server_to_close_the_transport()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Client, LongCloseTimeout());
        var receive = peer.Connection.ReceiveAsync().AsTask();

        await peer.SendFrameAsync(Opcode.Text, [0xFF]);
        Assert.Equal(CloseStatus.InvalidPayloadData, (await peer.ReadFrameAsync()).CloseCode);
        await peer.SendCloseAsync(CloseStatus.InvalidPayloadData);
        Assert.False(receive.IsCompleted);
        Assert.False(peer.OutputHasEnded());
        peer.CloseTransport();

        Assert.True((await receive.WaitAsync(RawPeer.Patience)).IsClose);
        Assert.Empty(await peer.ReadUntilOutputEndsAsync());
    }

    [Fact]
    public async Task Abort_ends_a_pending_receive_with_1006_and_tears_down_the_transport()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        var receive = peer.Connection.ReceiveAsync().AsTask();

        peer.Connection.Abort();

        Assert.True((await receive.WaitAsync(RawPeer.Patience)).IsClose);
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
        Assert.Equal(CloseStatus.AbnormalClosure, peer.Connection.CloseStatus);
        Assert.Equal(1, peer.TransportAborts);
        Assert.Empty(await peer.ReadUntilOutputEndsAsync());
    }

    [Fact]
    public async Task Disposing_an_open_connection_aborts_it()
    {
        var peer = RawPeer.Create(WebSocketRole.Server);

        await peer.Connection.DisposeAsync();

        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
        Assert.Equal(1, peer.TransportAborts);
        await peer.DisposeAsync();
    }
}
