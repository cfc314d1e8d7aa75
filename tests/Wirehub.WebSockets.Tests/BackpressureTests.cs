using System.IO.Pipelines;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// A peer that stops reading: the engine's output pipe pushes back past 4 KiB, so the first large frame stays in flight,
/// the next one waits in the send queue, and the one after that meets the SendQueueFullPolicy.
/// </summary>
public class BackpressureTests
{
    private const int MessageSize = 5000;

    private static readonly PipeOptions SlowReader = new(pauseWriterThreshold: 4096, resumeWriterThreshold: 2048, useSynchronizationContext: false);

    private static RawPeer CreateStalled(SendQueueFullPolicy policy) => RawPeer.Create(WebSocketRole.Server,
        new WebSocketOptions { SendQueueLimit = 1024, SendQueueFullPolicy = policy, CloseTimeout = TimeSpan.FromSeconds(30) },
        fromEngine: SlowReader);

    private static byte[] Message(byte fill) => Enumerable.Repeat(fill, MessageSize).ToArray();

    /// <summary>One frame in flight and one queued: the queue is now at its limit.</summary>
    private static async Task FillQueue(RawPeer peer)
    {
        await peer.Connection.SendAsync(Message(1), MessageType.Binary);
        await peer.Connection.SendAsync(Message(2), MessageType.Binary);
    }

    [Fact]
    public async Task Wait_policy_holds_the_send_until_the_peer_reads()
    {
        await using var peer = CreateStalled(SendQueueFullPolicy.Wait);
        await FillQueue(peer);

        var third = peer.Connection.SendAsync(Message(3), MessageType.Binary).AsTask();
        Assert.False(third.IsCompleted);
        var first = await peer.ReadFrameAsync();
        var second = await peer.ReadFrameAsync();
        await third.WaitAsync(RawPeer.Patience);
        var last = await peer.ReadFrameAsync();

        Assert.Equal([1, 2, 3], new[] { first, second, last }.Select(f => (int)f.Payload[0]));
        Assert.All(new[] { first, second, last }, f => Assert.Equal(MessageSize, f.Payload.Length));
    }

    [Fact]
    public async Task Fail_policy_throws_and_leaves_the_connection_usable()
    {
        await using var peer = CreateStalled(SendQueueFullPolicy.Fail);
        await FillQueue(peer);

        var error = await Assert.ThrowsAsync<WebSocketSendQueueFullException>(async () => await peer.Connection.SendAsync(Message(3), MessageType.Binary));
        Assert.Contains("SendQueueLimit", error.Message);
        Assert.Equal(WebSocketState.Open, peer.Connection.State);
        Assert.Equal(1, (await peer.ReadFrameAsync()).Payload[0]);
        Assert.Equal(2, (await peer.ReadFrameAsync()).Payload[0]);
        await peer.Connection.SendTextAsync("after the peer caught up");

        Assert.Equal("after the peer caught up", (await peer.ReadFrameAsync()).Text);
    }

    [Fact]
    public async Task Close_policy_drops_the_backlog_and_closes_with_1008()
    {
        await using var peer = CreateStalled(SendQueueFullPolicy.Close);
        await FillQueue(peer);

        var error = await Assert.ThrowsAsync<WebSocketSendQueueFullException>(async () => await peer.Connection.SendAsync(Message(3), MessageType.Binary));
        var inFlight = await peer.ReadFrameAsync();
        var close = await peer.ReadFrameAsync();

        Assert.Contains("1008", error.Message);
        Assert.Equal(1, inFlight.Payload[0]);
        Assert.Equal(Opcode.Close, close.Opcode);
        Assert.Equal(CloseStatus.PolicyViolation, close.CloseCode);
        Assert.Equal(CloseStatus.PolicyViolation, peer.Connection.CloseStatus);
        Assert.NotEqual(WebSocketState.Open, peer.Connection.State);
    }

    [Fact]
    public async Task BufferedAmount_grows_while_the_peer_stalls_and_returns_to_zero_once_it_reads()
    {
        await using var peer = CreateStalled(SendQueueFullPolicy.Wait);

        await FillQueue(peer);
        long stalled = peer.Connection.BufferedAmount;
        await peer.ReadFrameAsync();
        await peer.ReadFrameAsync();

        Assert.True(stalled >= 2 * MessageSize, $"BufferedAmount was {stalled} with two {MessageSize}-byte messages unsent.");
        await Eventually.Until(() => peer.Connection.BufferedAmount == 0, "BufferedAmount returns to 0");
    }

    [Fact]
    public async Task Single_message_larger_than_the_limit_is_accepted_when_nothing_is_queued()
    {
        await using var peer = CreateStalled(SendQueueFullPolicy.Fail);
        await peer.Connection.SendAsync(Message(1), MessageType.Binary);

        // The limit bounds what piles up: one oversized message alone still goes.
        await peer.Connection.SendAsync(new byte[3 * MessageSize], MessageType.Binary);

        Assert.Equal(MessageSize, (await peer.ReadFrameAsync()).Payload.Length);
        Assert.Equal(3 * MessageSize, (await peer.ReadFrameAsync()).Payload.Length);
    }

    [Fact]
    public async Task Pong_is_sent_even_when_the_send_queue_is_full()
    {
        await using var peer = CreateStalled(SendQueueFullPolicy.Fail);
        await FillQueue(peer);
        var receive = peer.Connection.ReceiveAsync().AsTask();

        await peer.SendFrameAsync(Opcode.Ping, RawPeer.Utf8("still alive?"));
        var frames = new[] { await peer.ReadFrameAsync(), await peer.ReadFrameAsync(), await peer.ReadFrameAsync() };

        Assert.Equal([Opcode.Binary, Opcode.Binary, Opcode.Pong], frames.Select(f => f.Opcode));
        Assert.False(receive.IsCompleted);
    }

    [Fact]
    public async Task Waiting_send_fails_when_the_connection_is_aborted()
    {
        await using var peer = CreateStalled(SendQueueFullPolicy.Wait);
        await FillQueue(peer);
        var waiting = peer.Connection.SendAsync(Message(3), MessageType.Binary).AsTask();

        peer.Connection.Abort();

        await Assert.ThrowsAsync<WebSocketClosedException>(() => waiting.WaitAsync(RawPeer.Patience));
        Assert.Equal(0, peer.Connection.BufferedAmount);
    }
}
