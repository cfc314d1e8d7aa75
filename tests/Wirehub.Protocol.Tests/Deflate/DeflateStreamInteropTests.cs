using System.Buffers;
using System.IO.Compression;
using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>
/// An independent DEFLATE implementation, System.IO.Compression, reads what this one writes with a 15-bit window,
/// and this one reads what it writes.
/// </summary>
public sealed class DeflateStreamInteropTests
{
    // A final empty fixed-Huffman block: lets DeflateStream see a properly ended stream.
    private static readonly byte[] FinalEmptyBlock = [0x03, 0x00];
    private static readonly byte[] SyncFlushTail = [0x00, 0x00, 0xFF, 0xFF];

    [Fact]
    public void Messages_compressed_with_context_takeover_inflate_with_DeflateStream()
    {
        using var server = new PerMessageDeflate(DeflateLink.Parameters(), WebSocketRole.Server, new PerMessageDeflateOptions());
        var stream = new MemoryStream();
        var expected = new MemoryStream();
        for (int i = 0; i < 20; i++)
        {
            byte[] message = TestPayloads.JsonEvent(i);
            expected.Write(message);
            // With context takeover the messages form one DEFLATE stream once each gets its 00 00 FF FF back.
            stream.Write(DeflateLink.Compress(server, message));
            stream.Write(SyncFlushTail);
        }

        stream.Write(FinalEmptyBlock);
        stream.Position = 0;
        using var inflater = new DeflateStream(stream, CompressionMode.Decompress);
        var inflated = new MemoryStream();
        inflater.CopyTo(inflated);

        Assert.Equal(expected.ToArray(), inflated.ToArray());
    }

    [Fact]
    public void Megabyte_compressed_at_level_9_inflates_with_DeflateStream()
    {
        using var server = new PerMessageDeflate(DeflateLink.Parameters(), WebSocketRole.Server,
            new PerMessageDeflateOptions { CompressionLevel = 9 });
        byte[] message = TestPayloads.Repetitive(1 << 20);
        byte[] payload = [.. DeflateLink.Compress(server, message), .. SyncFlushTail, .. FinalEmptyBlock];

        using var inflater = new DeflateStream(new MemoryStream(payload), CompressionMode.Decompress);
        var inflated = new MemoryStream();
        inflater.CopyTo(inflated);

        Assert.Equal(message, inflated.ToArray());
    }

    [Fact]
    public void DeflateStream_output_with_the_tail_removed_inflates()
    {
        byte[] message = TestPayloads.Repetitive(10_000);
        var compressed = new MemoryStream();
        using (var deflater = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflater.Write(message);
            deflater.Flush(); // a sync flush: ends with 00 00 FF FF
        }

        byte[] bytes = compressed.ToArray();
        int end = bytes.AsSpan().LastIndexOf(SyncFlushTail);
        Assert.True(end > 0, "DeflateStream.Flush wrote no sync flush marker");
        using var client = new PerMessageDeflate(DeflateLink.Parameters(), WebSocketRole.Client, new PerMessageDeflateOptions());

        var (status, inflated) = DeflateLink.Decompress(client, bytes.AsSpan(0, end));

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(message, inflated);
    }

    [Fact]
    public void Level_0_output_is_stored_yet_still_decodable()
    {
        using var link = new DeflateLink(DeflateLink.Parameters(), WebSocketRole.Server,
            new PerMessageDeflateOptions { CompressionLevel = 0 });
        byte[] message = TestPayloads.Repetitive(100_000);

        byte[] compressed = DeflateLink.Compress(link.Sender, message);
        var (status, inflated) = DeflateLink.Decompress(link.Receiver, compressed);

        Assert.True(compressed.Length > message.Length, "level 0 should store, not compress");
        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(message, inflated);
    }
}
