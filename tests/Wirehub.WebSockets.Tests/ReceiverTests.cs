using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>The receive side over in-memory pipes, fed raw bytes: RFC 6455 §5 frame rules, UTF-8, limits, fragments.</summary>
public class ReceiverTests
{
    private static readonly byte[] Hello = RawPeer.Utf8("Hello");

    private static bool PeerMasks(WebSocketRole engineRole) => engineRole == WebSocketRole.Server;

    private static async Task AssertFailsWith(ushort expectedCode, WebSocketRole role, byte[] bytes, WebSocketOptions? options = null)
    {
        await using var peer = RawPeer.Create(role, options);

        var close = await peer.SendExpectingCloseAsync(bytes);

        Assert.Equal(Opcode.Close, close.Opcode);
        Assert.Equal(expectedCode, close.CloseCode);
        Assert.Equal(expectedCode, peer.Connection.CloseStatus);
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 3)]
    [InlineData(WebSocketRole.Server, 7)]
    [InlineData(WebSocketRole.Client, 5)]
    public Task Reserved_data_opcode_fails_with_1002(WebSocketRole role, int opcode) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build((Opcode)opcode, Hello, PeerMasks(role)));

    [Theory]
    [InlineData(WebSocketRole.Server, 0xB)]
    [InlineData(WebSocketRole.Server, 0xF)]
    [InlineData(WebSocketRole.Client, 0xC)]
    public Task Reserved_control_opcode_fails_with_1002(WebSocketRole role, int opcode) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build((Opcode)opcode, [], PeerMasks(role)));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Rsv1_without_negotiated_compression_fails_with_1002(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build(Opcode.Text, Hello, PeerMasks(role), rsv1: true));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Rsv2_set_fails_with_1002(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build(Opcode.Binary, Hello, PeerMasks(role), rsv2: true));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Rsv3_set_fails_with_1002(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build(Opcode.Binary, Hello, PeerMasks(role), rsv3: true));

    [Fact]
    public Task Unmasked_client_frame_fails_with_1002() =>
        AssertFailsWith(CloseStatus.ProtocolError, WebSocketRole.Server, FrameBytes.Build(Opcode.Text, Hello, masked: false));

    [Fact]
    public Task Masked_server_frame_fails_with_1002() =>
        AssertFailsWith(CloseStatus.ProtocolError, WebSocketRole.Client, FrameBytes.Build(Opcode.Text, Hello, masked: true));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Control_frame_longer_than_125_bytes_fails_with_1002(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build(Opcode.Ping, new byte[126], PeerMasks(role)));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Fragmented_control_frame_fails_with_1002(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build(Opcode.Ping, Hello, PeerMasks(role), fin: false));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Continuation_without_a_started_message_fails_with_1002(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build(Opcode.Continuation, Hello, PeerMasks(role)));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Data_frame_inside_a_fragmented_message_fails_with_1002(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Concat(
            FrameBytes.Build(Opcode.Text, Hello, PeerMasks(role), fin: false),
            FrameBytes.Build(Opcode.Text, Hello, PeerMasks(role))));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Length_with_its_64_bit_most_significant_bit_set_fails_with_1002(WebSocketRole role)
    {
        bool masked = PeerMasks(role);
        // §5.2: "the most significant bit MUST be 0" in a 64-bit length.
        byte[] header = [0x82, (byte)((masked ? 0x80 : 0) | 127), 0x80, 0, 0, 0, 0, 0, 0, 5];
        byte[] frame = masked ? [.. header, 1, 2, 3, 4, .. Hello] : [.. header, .. Hello];
        return AssertFailsWith(CloseStatus.ProtocolError, role, frame);
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Invalid_utf8_text_fails_with_1007(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.InvalidPayloadData, role, FrameBytes.Build(Opcode.Text, [0x48, 0xC3, 0x28], PeerMasks(role)));

    [Fact]
    public async Task Invalid_utf8_in_a_first_fragment_fails_before_the_rest_of_the_message_arrives()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        var receive = peer.Connection.ReceiveAsync().AsTask();

        // Only the first fragment is ever sent: the close must not wait for the message to end.
        await peer.SendFrameAsync(Opcode.Text, [0x61, 0xFF, 0x62], fin: false);
        var close = await peer.ReadFrameAsync();

        Assert.Equal(Opcode.Close, close.Opcode);
        Assert.Equal(CloseStatus.InvalidPayloadData, close.CloseCode);
        await peer.SendCloseAsync(CloseStatus.InvalidPayloadData);
        Assert.True((await receive.WaitAsync(RawPeer.Patience)).IsClose);
    }

    [Fact]
    public async Task Invalid_utf8_at_the_start_of_a_partly_received_frame_fails_before_the_frame_ends()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        var payload = new byte[1000];
        payload.AsSpan().Fill((byte)'a');
        payload[3] = 0xC0; // an overlong lead byte is never valid
        var frame = FrameBytes.Build(Opcode.Text, payload, masked: true);
        var receive = peer.Connection.ReceiveAsync().AsTask();

        await peer.WriteAsync(frame[..20]);
        var close = await peer.ReadFrameAsync();

        Assert.Equal(CloseStatus.InvalidPayloadData, close.CloseCode);
        await peer.SendCloseAsync(CloseStatus.InvalidPayloadData);
        Assert.True((await receive.WaitAsync(RawPeer.Patience)).IsClose);
    }

    [Fact]
    public Task Text_message_ending_inside_a_utf8_sequence_fails_with_1007() =>
        AssertFailsWith(CloseStatus.InvalidPayloadData, WebSocketRole.Server, FrameBytes.Concat(
            FrameBytes.Build(Opcode.Text, [0x61], masked: true, fin: false),
            FrameBytes.Build(Opcode.Continuation, [0xE2, 0x82], masked: true)));

    [Fact]
    public async Task Utf8_sequence_split_across_fragments_is_accepted()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        byte[] euro = [0xE2, 0x82, 0xAC];

        await peer.SendFrameAsync(Opcode.Text, euro[..1], fin: false);
        await peer.SendFrameAsync(Opcode.Continuation, euro[1..]);
        var message = await peer.Connection.ReceiveAsync();

        Assert.Equal("€", message.GetString());
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Close_payload_of_one_byte_fails_with_1002(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.ProtocolError, role, FrameBytes.Build(Opcode.Close, [0x03], PeerMasks(role)));

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    public Task Close_code_not_valid_on_the_wire_fails_with_1002(int code) =>
        AssertFailsWith(CloseStatus.ProtocolError, WebSocketRole.Server, FrameBytes.Close((ushort)code, "", masked: true));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Close_reason_that_is_not_utf8_fails_with_1007(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.InvalidPayloadData, role, FrameBytes.Build(Opcode.Close, [0x03, 0xE8, 0x61, 0xFE], PeerMasks(role)));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Frame_larger_than_MaxFrameSize_fails_with_1009(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.MessageTooBig, role, FrameBytes.Build(Opcode.Binary, new byte[1001], PeerMasks(role)),
            new WebSocketOptions { MaxFrameSize = 1000 });

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public Task Message_larger_than_MaxMessageSize_across_fragments_fails_with_1009(WebSocketRole role) =>
        AssertFailsWith(CloseStatus.MessageTooBig, role, FrameBytes.Concat(
                FrameBytes.Build(Opcode.Binary, new byte[600], PeerMasks(role), fin: false),
                FrameBytes.Build(Opcode.Continuation, new byte[600], PeerMasks(role))),
            new WebSocketOptions { MaxMessageSize = 1000 });

    [Fact]
    public async Task Message_exactly_MaxMessageSize_is_accepted()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, new WebSocketOptions { MaxMessageSize = 1000 });

        await peer.SendFrameAsync(Opcode.Binary, new byte[400], fin: false);
        await peer.SendFrameAsync(Opcode.Continuation, new byte[600]);
        var message = await peer.Connection.ReceiveAsync();

        Assert.Equal(1000, message.Data.Length);
    }

    [Fact]
    public async Task Failure_reason_says_what_the_peer_did_wrong()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        var close = await peer.SendExpectingCloseAsync(FrameBytes.Build(Opcode.Text, Hello, masked: false));

        Assert.Equal("Client frames must be masked", close.CloseReason);
        Assert.Equal("Client frames must be masked", peer.Connection.CloseReason);
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public async Task Control_frames_between_fragments_do_not_disturb_the_message(WebSocketRole role)
    {
        await using var peer = RawPeer.Create(role);

        await peer.SendFrameAsync(Opcode.Text, RawPeer.Utf8("Hel"), fin: false);
        await peer.SendFrameAsync(Opcode.Ping, RawPeer.Utf8("mid"));
        await peer.SendFrameAsync(Opcode.Pong, RawPeer.Utf8("unsolicited"));
        await peer.SendFrameAsync(Opcode.Continuation, RawPeer.Utf8("lo"));
        var message = await peer.Connection.ReceiveAsync();
        var pong = await peer.ReadFrameAsync();

        Assert.Equal("Hello", message.GetString());
        Assert.Equal(Opcode.Pong, pong.Opcode);
        Assert.Equal("mid", pong.Text);
    }

    public static TheoryData<int> SplitPoints()
    {
        var data = new TheoryData<int>();
        for (int i = 1; i < SplitStream.Length; i++) data.Add(i);
        return data;
    }

    // A fragmented text message with a ping inside, a 16-bit-length binary message and a close: every kind of boundary.
    private static readonly byte[] BinaryPayload = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();

    private static readonly byte[] SplitStream = FrameBytes.Concat(
        FrameBytes.Build(Opcode.Text, RawPeer.Utf8("Grüße, "), masked: true, fin: false),
        FrameBytes.Build(Opcode.Ping, RawPeer.Utf8("p"), masked: true),
        FrameBytes.Build(Opcode.Continuation, RawPeer.Utf8("wörld €"), masked: true),
        FrameBytes.Build(Opcode.Binary, BinaryPayload, masked: true),
        FrameBytes.Close(CloseStatus.NormalClosure, "done", masked: true));

    private static async Task AssertSplitStreamReceived(IEnumerable<byte[]> pieces)
    {
        await using var peer = RawPeer.CreateScripted(WebSocketRole.Server, pieces);

        var text = await peer.Connection.ReceiveAsync();
        Assert.Equal("Grüße, wörld €", text.GetString());
        var binary = await peer.Connection.ReceiveAsync();
        Assert.Equal(BinaryPayload, binary.ToArray());
        Assert.True((await peer.Connection.ReceiveAsync()).IsClose);
        Assert.Equal(CloseStatus.NormalClosure, peer.Connection.CloseStatus);
        Assert.Equal("done", peer.Connection.CloseReason);
        var frames = await peer.ReadUntilOutputEndsAsync();
        Assert.Equal([Opcode.Pong, Opcode.Close], frames.Select(f => f.Opcode));
    }

    [Theory]
    [MemberData(nameof(SplitPoints))]
    public Task Stream_split_at_any_byte_is_received_the_same(int splitAt) =>
        AssertSplitStreamReceived([SplitStream[..splitAt], SplitStream[splitAt..]]);

    [Fact]
    public Task Stream_arriving_one_byte_per_read_is_received_the_same() =>
        AssertSplitStreamReceived(SplitStream.Select(b => new[] { b }));

    [Fact]
    public async Task ReceiveFragmentAsync_returns_each_piece_of_a_frame_as_it_arrives()
    {
        var frame = FrameBytes.Build(Opcode.Binary, BinaryPayload, masked: true);
        int header = frame.Length - BinaryPayload.Length;
        await using var peer = RawPeer.CreateScripted(WebSocketRole.Server, [frame[..(header + 3)], frame[(header + 3)..(header + 10)], frame[(header + 10)..]]);

        var first = await peer.Connection.ReceiveFragmentAsync();
        Assert.Equal(BinaryPayload[..3], first.ToArray());
        Assert.False(first.EndOfMessage);
        var second = await peer.Connection.ReceiveFragmentAsync();
        Assert.Equal(BinaryPayload[3..10], second.ToArray());
        Assert.False(second.EndOfMessage);
        var last = await peer.Connection.ReceiveFragmentAsync();
        Assert.Equal(BinaryPayload[10..], last.ToArray());
        Assert.True(last.EndOfMessage);
        Assert.Equal(MessageType.Binary, last.Type);
    }

    [Fact]
    public async Task ReceiveAsync_in_the_middle_of_a_streamed_message_is_refused_and_the_rest_still_arrives()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync(FrameBytes.Concat(
            FrameBytes.Text("one ", masked: true, fin: false),
            FrameBytes.Build(Opcode.Continuation, RawPeer.Utf8("two"), masked: true)));

        var first = await peer.Connection.ReceiveFragmentAsync();
        Assert.False(first.EndOfMessage);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => peer.Connection.ReceiveAsync().AsTask());
        Assert.Contains("ReceiveFragmentAsync", error.Message);
        var rest = await peer.Connection.ReceiveFragmentAsync();
        Assert.Equal("two", rest.GetString());
        Assert.True(rest.EndOfMessage);
    }

    [Fact]
    public async Task ReceiveAsync_is_allowed_again_once_a_streamed_message_ended()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync(FrameBytes.Concat(
            FrameBytes.Text("one", masked: true, fin: false),
            FrameBytes.Build(Opcode.Continuation, RawPeer.Utf8("two"), masked: true),
            FrameBytes.Text("whole", masked: true)));

        Assert.False((await peer.Connection.ReceiveFragmentAsync()).EndOfMessage);
        Assert.True((await peer.Connection.ReceiveFragmentAsync()).EndOfMessage);
        Assert.Equal("whole", (await peer.Connection.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task ReceiveFragmentAsync_marks_only_the_final_fragment_as_end_of_message()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await peer.WriteAsync(FrameBytes.Concat(
            FrameBytes.Text("one ", masked: true, fin: false),
            FrameBytes.Build(Opcode.Continuation, RawPeer.Utf8("two "), masked: true, fin: false),
            FrameBytes.Build(Opcode.Continuation, RawPeer.Utf8("three"), masked: true)));
        var pieces = new List<(string Text, bool End, MessageType Type)>();
        WebSocketMessage piece;
        do
        {
            piece = await peer.Connection.ReceiveFragmentAsync();
            pieces.Add((piece.GetString(), piece.EndOfMessage, piece.Type));
        }
        while (!piece.EndOfMessage);

        Assert.Equal([("one ", false, MessageType.Text), ("two ", false, MessageType.Text), ("three", true, MessageType.Text)], pieces);
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public async Task Ping_is_answered_with_a_pong_carrying_the_same_payload(WebSocketRole role)
    {
        await using var peer = RawPeer.Create(role);
        byte[] payload = [0, 1, 2, 0xFE, 0xFF, .. RawPeer.Utf8("ping payload")];
        var receive = peer.Connection.ReceiveAsync().AsTask();

        await peer.SendFrameAsync(Opcode.Ping, payload);
        var pong = await peer.ReadFrameAsync();

        Assert.Equal(Opcode.Pong, pong.Opcode);
        Assert.True(pong.Fin);
        Assert.Equal(payload, pong.Payload);
        Assert.Equal(role == WebSocketRole.Client, pong.Masked);
        Assert.False(receive.IsCompleted);
    }

    [Fact]
    public async Task Ping_is_not_answered_when_AutoPong_is_off()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, new WebSocketOptions { AutoPong = false });

        await peer.SendFrameAsync(Opcode.Ping, Hello);
        await peer.SendTextAsync("after the ping");
        Assert.Equal("after the ping", (await peer.Connection.ReceiveAsync()).GetString());
        await peer.Connection.CloseOutputAsync();
        var next = await peer.ReadFrameAsync();

        Assert.Equal(Opcode.Close, next.Opcode);
    }

    [Fact]
    public async Task Empty_close_is_answered_with_an_empty_close_and_reported_as_1005()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);

        await peer.SendFrameAsync(Opcode.Close, []);
        var message = await peer.Connection.ReceiveAsync();
        var answer = await peer.ReadFrameAsync();

        Assert.True(message.IsClose);
        Assert.Equal(Opcode.Close, answer.Opcode);
        Assert.Empty(answer.Payload);
        Assert.Equal(CloseStatus.NoStatusReceived, peer.Connection.CloseStatus);
    }

    [Fact]
    public async Task ReadAllAsync_yields_every_message_and_stops_at_the_close()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.SendTextAsync("a");
        await peer.SendFrameAsync(Opcode.Binary, [1, 2]);
        await peer.SendTextAsync("c");
        await peer.SendCloseAsync(CloseStatus.NormalClosure);

        var received = new List<(MessageType, string)>();
        await foreach (var message in peer.Connection.ReadAllAsync()) received.Add((message.Type, Convert.ToHexString(message.ToArray())));

        Assert.Equal([(MessageType.Text, "61"), (MessageType.Binary, "0102"), (MessageType.Text, "63")], received);
    }

    [Fact]
    public async Task Receive_after_the_close_returns_a_close_message_again()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.SendCloseAsync(CloseStatus.GoingAway, "bye");

        var first = await peer.Connection.ReceiveAsync();
        var second = await peer.Connection.ReceiveAsync();

        Assert.True(first.IsClose);
        Assert.True(second.IsClose);
        Assert.Equal(CloseStatus.GoingAway, peer.Connection.CloseStatus);
    }

    [Fact]
    public async Task Concurrent_receives_are_refused()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        var pending = peer.Connection.ReceiveAsync();

        var error = Assert.Throws<InvalidOperationException>(() => { _ = peer.Connection.ReceiveAsync(); });

        Assert.Contains("one loop at a time", error.Message);
        Assert.False(pending.IsCompleted);
    }

    [Fact]
    public async Task Peer_ending_the_transport_without_a_close_frame_is_reported_as_1006()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.SendTextAsync("last words");
        peer.CloseTransport();

        var texts = await peer.ReceiveUntilClosedAsync();

        Assert.Equal(["last words"], texts);
        Assert.Equal(CloseStatus.AbnormalClosure, peer.Connection.CloseStatus);
        Assert.Equal(WebSocketState.Closed, peer.Connection.State);
    }

    [Fact]
    public async Task Peer_ending_the_transport_in_the_middle_of_a_frame_is_reported_as_1006()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync(FrameBytes.Text("cut short", masked: true)[..8]);
        peer.CloseTransport();

        var message = await peer.Connection.ReceiveAsync();

        Assert.True(message.IsClose);
        Assert.Equal(CloseStatus.AbnormalClosure, peer.Connection.CloseStatus);
        Assert.Contains("middle of a frame", peer.Connection.CloseReason);
    }

    [Fact]
    public async Task Message_of_many_fragments_is_assembled_whole()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        var expected = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 253)).ToArray();

        for (int offset = 0; offset < expected.Length; offset += 1000)
        {
            var opcode = offset == 0 ? Opcode.Binary : Opcode.Continuation;
            await peer.SendFrameAsync(opcode, expected[offset..(offset + 1000)], fin: offset + 1000 == expected.Length);
        }
        var message = await peer.Connection.ReceiveAsync();

        Assert.True(message.EndOfMessage);
        Assert.Equal(expected, message.ToArray());
    }

    [Fact]
    public async Task Cancelled_receive_can_be_followed_by_another_receive()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        using var cancel = new CancellationTokenSource();
        var first = peer.Connection.ReceiveAsync(cancel.Token).AsTask();

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await peer.SendTextAsync("after the cancel");

        Assert.Equal("after the cancel", (await peer.Connection.ReceiveAsync()).GetString());
        Assert.Equal(WebSocketState.Open, peer.Connection.State);
    }
}
