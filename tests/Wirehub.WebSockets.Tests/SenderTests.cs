using System.Buffers;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>The send side over in-memory pipes: what the engine puts on the wire for each kind of send.</summary>
public class SenderTests
{
    [Fact]
    public async Task Server_sends_a_text_message_as_one_unmasked_final_text_frame()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await peer.Connection.SendTextAsync("héllo");
        var frame = await peer.ReadFrameAsync();

        Assert.Equal(Opcode.Text, frame.Opcode);
        Assert.True(frame.Fin);
        Assert.False(frame.Masked);
        Assert.False(frame.Rsv1 || frame.Rsv2 || frame.Rsv3);
        Assert.Equal("héllo", frame.Text);
    }

    [Fact]
    public async Task Client_masks_every_frame_it_sends()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Client);
        byte[] payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

        await peer.Connection.SendAsync(payload, MessageType.Binary);
        await peer.Connection.PingAsync(new byte[] { 9, 8, 7 });
        await peer.Connection.CloseOutputAsync(CloseStatus.NormalClosure, "bye");
        var binary = await peer.ReadFrameAsync();
        var ping = await peer.ReadFrameAsync();
        var close = await peer.ReadFrameAsync();

        Assert.All([binary, ping, close], frame => Assert.True(frame.Masked));
        Assert.Equal(payload, binary.Payload);
        Assert.Equal(new byte[] { 9, 8, 7 }, ping.Payload);
        Assert.Equal("bye", close.CloseReason);
    }

    [Fact]
    public async Task Client_masks_a_large_message_correctly_across_buffer_boundaries()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Client);
        byte[] payload = Enumerable.Range(0, 200_003).Select(i => (byte)(i * 31 + 7)).ToArray();

        await peer.Connection.SendAsync(payload, MessageType.Binary);
        var frame = await peer.ReadFrameAsync();

        Assert.True(frame.Masked);
        Assert.Equal(payload, frame.Payload);
    }

    [Fact]
    public async Task Client_mask_keys_differ_between_frames()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Client);
        var keys = new HashSet<string>();

        for (int i = 0; i < 8; i++) await peer.Connection.SendAsync(new byte[4], MessageType.Binary);
        for (int i = 0; i < 8; i++) keys.Add(Convert.ToHexString((await peer.ReadFrameAsync()).Wire.AsSpan(2, 4)));

        // §5.3: each frame gets a fresh, unpredictable key; eight equal keys in a row would mean a fixed key.
        Assert.True(keys.Count > 1);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65535, 4)]
    [InlineData(65536, 10)]
    public async Task Payload_length_uses_the_shortest_encoding(int length, int headerLength)
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await peer.Connection.SendAsync(new byte[length], MessageType.Binary);
        var frame = await peer.ReadFrameAsync();

        Assert.Equal(length, frame.Payload.Length);
        Assert.Equal(headerLength, frame.Wire.Length - length);
    }

    [Fact]
    public async Task Message_sent_in_pieces_goes_out_as_a_fragmented_message()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await peer.Connection.SendAsync(RawPeer.Utf8("one "), MessageType.Text, endOfMessage: false);
        await peer.Connection.SendAsync(RawPeer.Utf8("two "), MessageType.Text, endOfMessage: false);
        await peer.Connection.SendAsync(RawPeer.Utf8("three"), MessageType.Text, endOfMessage: true);
        var frames = new[] { await peer.ReadFrameAsync(), await peer.ReadFrameAsync(), await peer.ReadFrameAsync() };

        Assert.Equal([Opcode.Text, Opcode.Continuation, Opcode.Continuation], frames.Select(f => f.Opcode));
        Assert.Equal([false, false, true], frames.Select(f => f.Fin));
        Assert.Equal("one two three", string.Concat(frames.Select(f => f.Text)));
    }

    [Fact]
    public async Task Switching_type_inside_a_fragmented_message_is_refused()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.Connection.SendAsync(RawPeer.Utf8("text "), MessageType.Text, endOfMessage: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await peer.Connection.SendAsync(new byte[] { 1 }, MessageType.Binary));

        Assert.Contains("finish it", error.Message);
    }

    [Fact]
    public async Task Multi_segment_sequence_is_sent_as_one_message()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        var sequence = SegmentedSequence.Of(RawPeer.Utf8("split "), RawPeer.Utf8("across "), RawPeer.Utf8("segments"));

        await peer.Connection.SendAsync(sequence, MessageType.Text);
        var frame = await peer.ReadFrameAsync();

        Assert.True(frame.Fin);
        Assert.Equal("split across segments", frame.Text);
    }

    [Fact]
    public async Task Long_text_is_encoded_as_utf8()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        string text = string.Concat(Enumerable.Repeat("Grüße € 𝄞 ", 100));

        await peer.Connection.SendTextAsync(text);
        var frame = await peer.ReadFrameAsync();

        Assert.Equal(text, frame.Text);
    }

    [Fact]
    public async Task Concurrent_sends_never_interleave_their_frames()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Client);
        const int senders = 4, perSender = 200;

        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < perSender; i++)
                await peer.Connection.SendAsync(RawPeer.Utf8($"{s}:{i}:" + new string((char)('a' + s), i % 50)), MessageType.Text);
        })));
        var next = new int[senders];
        for (int n = 0; n < senders * perSender; n++)
        {
            var parts = (await peer.ReadFrameAsync()).Text.Split(':');
            int sender = int.Parse(parts[0]);
            Assert.Equal(next[sender]++, int.Parse(parts[1]));
            Assert.Equal(new string((char)('a' + sender), int.Parse(parts[1]) % 50), parts[2]);
        }

        Assert.All(next, count => Assert.Equal(perSender, count));
    }

    [Fact]
    public async Task Ping_carries_the_given_payload()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await peer.Connection.PingAsync(RawPeer.Utf8("are you there"));
        var frame = await peer.ReadFrameAsync();

        Assert.Equal(Opcode.Ping, frame.Opcode);
        Assert.Equal("are you there", frame.Text);
    }

    [Fact]
    public async Task Ping_payload_over_125_bytes_is_refused()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await peer.Connection.PingAsync(new byte[126]));
    }

    [Fact]
    public async Task Sending_a_close_type_message_is_refused()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await peer.Connection.SendAsync(new byte[1], MessageType.Close));
    }

    [Fact]
    public async Task Send_after_the_close_frame_throws_WebSocketClosedException()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.Connection.CloseOutputAsync();

        var error = await Assert.ThrowsAsync<WebSocketClosedException>(async () => await peer.Connection.SendTextAsync("late"));

        Assert.Contains("closing", error.Message);
    }

    [Fact]
    public async Task Ping_after_the_close_frame_throws_WebSocketClosedException()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.Connection.CloseOutputAsync();

        await Assert.ThrowsAsync<WebSocketClosedException>(async () => await peer.Connection.PingAsync());
    }

    [Fact]
    public async Task BufferedAmount_is_zero_once_sends_reached_the_transport()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        for (int i = 0; i < 10; i++) await peer.Connection.SendAsync(new byte[1000], MessageType.Binary);

        Assert.Equal(0, peer.Connection.BufferedAmount);
    }

    private sealed class SegmentedSequence : ReadOnlySequenceSegment<byte>
    {
        private SegmentedSequence(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(params byte[][] parts)
        {
            var first = new SegmentedSequence(parts[0], 0);
            var last = first;
            foreach (var part in parts.Skip(1))
            {
                var next = new SegmentedSequence(part, last.RunningIndex + last.Memory.Length);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
