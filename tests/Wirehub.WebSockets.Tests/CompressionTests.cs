using System.Text;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>permessage-deflate (RFC 7692) on a connection created with agreed parameters, checked against .NET's DeflateStream.</summary>
public class CompressionTests
{
    // The engine's own sending direction has no context takeover, so each of its messages inflates on its own.
    private static PerMessageDeflateParameters AgreedFor(WebSocketRole engineRole) => engineRole == WebSocketRole.Server
        ? new PerMessageDeflateParameters(ServerNoContextTakeover: true, ClientNoContextTakeover: false, 15, 15)
        : new PerMessageDeflateParameters(ServerNoContextTakeover: false, ClientNoContextTakeover: true, 15, 15);

    private static readonly byte[] Compressible = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compress me, please! ", 200)));

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public async Task Compressed_messages_are_inflated_on_receipt(WebSocketRole role)
    {
        await using var peer = RawPeer.Create(role, deflate: AgreedFor(role));
        using var deflate = new RawDeflate();

        // Two messages over one compression context: the second refers back to the first (context takeover).
        await peer.SendFrameAsync(Opcode.Text, deflate.Compress(Compressible), rsv1: true);
        await peer.SendFrameAsync(Opcode.Text, deflate.Compress(Compressible), rsv1: true);

        Assert.Equal(Compressible, (await peer.Connection.ReceiveAsync()).ToArray());
        Assert.Equal(Compressible, (await peer.Connection.ReceiveAsync()).ToArray());
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public async Task Messages_over_the_threshold_are_sent_compressed(WebSocketRole role)
    {
        await using var peer = RawPeer.Create(role, deflate: AgreedFor(role));

        await peer.Connection.SendAsync(Compressible, MessageType.Text);
        await peer.Connection.SendAsync(Compressible, MessageType.Text);
        var first = await peer.ReadFrameAsync();
        var second = await peer.ReadFrameAsync();

        Assert.All([first, second], frame =>
        {
            Assert.True(frame.Rsv1);
            Assert.True(frame.Payload.Length < Compressible.Length / 4);
            Assert.Equal(Compressible, RawDeflate.Inflate(frame.Payload));
        });
    }

    [Fact]
    public async Task Messages_under_the_threshold_are_sent_uncompressed()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));

        await peer.Connection.SendTextAsync("tiny");
        var frame = await peer.ReadFrameAsync();

        Assert.False(frame.Rsv1);
        Assert.Equal("tiny", frame.Text);
    }

    [Fact]
    public async Task Uncompressed_message_is_accepted_on_a_compressing_connection()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));

        await peer.SendTextAsync("plain");

        Assert.Equal("plain", (await peer.Connection.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task Compressed_message_split_over_fragments_is_inflated_whole()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));
        using var deflate = new RawDeflate();
        var compressed = deflate.Compress(Compressible);
        int third = compressed.Length / 3;

        // §6.1: RSV1 marks the first frame only; continuation frames carry the rest of the compressed bytes.
        await peer.SendFrameAsync(Opcode.Text, compressed[..third], fin: false, rsv1: true);
        await peer.SendFrameAsync(Opcode.Continuation, compressed[third..(2 * third)], fin: false);
        await peer.SendFrameAsync(Opcode.Continuation, compressed[(2 * third)..]);

        Assert.Equal(Compressible, (await peer.Connection.ReceiveAsync()).ToArray());
    }

    [Fact]
    public async Task Streamed_send_is_compressed_across_its_fragments()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));

        await peer.Connection.SendAsync(Compressible.AsMemory(0, 2000), MessageType.Binary, endOfMessage: false);
        await peer.Connection.SendAsync(Compressible.AsMemory(2000), MessageType.Binary, endOfMessage: true);
        var first = await peer.ReadFrameAsync();
        var last = await peer.ReadFrameAsync();

        Assert.True(first.Rsv1);
        Assert.False(last.Rsv1);
        Assert.Equal(Opcode.Continuation, last.Opcode);
        Assert.Equal(Compressible, RawDeflate.Inflate([.. first.Payload, .. last.Payload]));
    }

    [Fact]
    public async Task Compression_bomb_is_closed_with_1009()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, new WebSocketOptions { MaxMessageSize = 64 * 1024 },
            AgreedFor(WebSocketRole.Server));
        using var deflate = new RawDeflate();
        var bomb = deflate.Compress(new byte[16 * 1024 * 1024]);

        var close = await peer.SendExpectingCloseAsync(FrameBytes.Build(Opcode.Binary, bomb, masked: true, rsv1: true));

        Assert.True(bomb.Length < 64 * 1024);
        Assert.Equal(CloseStatus.MessageTooBig, close.CloseCode);
        Assert.Equal(CloseStatus.MessageTooBig, peer.Connection.CloseStatus);
    }

    [Fact]
    public async Task Invalid_deflate_data_fails_with_1007()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));

        // Block type 3 is reserved in DEFLATE (RFC 1951 §3.2.3): no inflater accepts it.
        var close = await peer.SendExpectingCloseAsync(FrameBytes.Build(Opcode.Binary, [0xFF, 0xFF, 0xFF, 0xFF], masked: true, rsv1: true));

        Assert.Equal(CloseStatus.InvalidPayloadData, close.CloseCode);
    }

    [Fact]
    public async Task Compressed_text_that_inflates_to_invalid_utf8_fails_with_1007()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));
        using var deflate = new RawDeflate();

        var close = await peer.SendExpectingCloseAsync(FrameBytes.Build(Opcode.Text, deflate.Compress([0x61, 0xFF, 0x62]), masked: true, rsv1: true));

        Assert.Equal(CloseStatus.InvalidPayloadData, close.CloseCode);
    }

    [Fact]
    public async Task Rsv1_on_a_continuation_frame_fails_with_1002_even_with_compression()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));

        var close = await peer.SendExpectingCloseAsync(FrameBytes.Concat(
            FrameBytes.Build(Opcode.Text, RawPeer.Utf8("a"), masked: true, fin: false),
            FrameBytes.Build(Opcode.Continuation, RawPeer.Utf8("b"), masked: true, rsv1: true)));

        Assert.Equal(CloseStatus.ProtocolError, close.CloseCode);
    }

    [Fact]
    public async Task Rsv1_on_a_control_frame_fails_with_1002_even_with_compression()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));

        var close = await peer.SendExpectingCloseAsync(FrameBytes.Build(Opcode.Ping, [], masked: true, rsv1: true));

        Assert.Equal(CloseStatus.ProtocolError, close.CloseCode);
    }

    [Fact]
    public async Task Extensions_reports_the_agreed_parameters()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));

        Assert.Equal("permessage-deflate; server_no_context_takeover", peer.Connection.Extensions);
    }

    [Fact]
    public async Task Engines_exchange_compressed_messages_with_context_takeover_both_ways()
    {
        await using var pair = EnginePair.Create(new PerMessageDeflateParameters(false, false, 15, 15));
        var messages = Enumerable.Range(0, 20).Select(i => $"message {i}: " + string.Concat(Enumerable.Repeat("shared history ", 20 + i))).ToArray();

        foreach (var text in messages)
        {
            await pair.Client.SendTextAsync(text);
            var atServer = (await pair.Server.ReceiveAsync()).GetString();
            await pair.Server.SendTextAsync(atServer.ToUpperInvariant());
            Assert.Equal(text.ToUpperInvariant(), (await pair.Client.ReceiveAsync()).GetString());
        }
    }

    [Fact]
    public async Task Compressed_empty_message_arrives_empty()
    {
        var options = new WebSocketOptions { PerMessageDeflate = new PerMessageDeflateOptions { CompressionThreshold = 0 } };
        await using var pair = EnginePair.Create(new PerMessageDeflateParameters(false, false, 15, 15), options, options);

        await pair.Client.SendAsync(ReadOnlyMemory<byte>.Empty, MessageType.Binary);
        await pair.Client.SendTextAsync("after the empty one");

        Assert.Equal(0, (await pair.Server.ReceiveAsync()).Data.Length);
        Assert.Equal("after the empty one", (await pair.Server.ReceiveAsync()).GetString());
    }

    [Fact]
    public async Task ReceiveFragmentAsync_yields_the_inflated_bytes_of_a_compressed_message()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server, deflate: AgreedFor(WebSocketRole.Server));
        using var deflate = new RawDeflate();
        var compressed = deflate.Compress(Compressible);

        await peer.SendFrameAsync(Opcode.Text, compressed[..(compressed.Length / 2)], fin: false, rsv1: true);
        await peer.SendFrameAsync(Opcode.Continuation, compressed[(compressed.Length / 2)..]);
        var inflated = new List<byte>();
        WebSocketMessage piece;
        do
        {
            piece = await peer.Connection.ReceiveFragmentAsync();
            inflated.AddRange(piece.ToArray());
        }
        while (!piece.EndOfMessage);

        Assert.Equal(Compressible, inflated);
    }
}
