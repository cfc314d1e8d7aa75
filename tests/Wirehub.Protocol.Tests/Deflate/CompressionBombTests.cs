using System.Buffers;
using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>A small message that inflates to a huge one stops at the limit and allocates nothing past it.</summary>
[Collection(ProcessAllocationCollection.Name)]
public sealed class CompressionBombTests
{
    private static byte[] CompressedZeros(long totalBytes)
    {
        using var server = new PerMessageDeflate(DeflateLink.Parameters(), WebSocketRole.Server,
            new PerMessageDeflateOptions { CompressionLevel = 9 });
        var zeros = new byte[64 * 1024];
        var output = new ArrayBufferWriter<byte>();
        for (long sent = 0; sent < totalBytes; sent += zeros.Length)
        {
            server.Compress(zeros, endOfMessage: sent + zeros.Length >= totalBytes, output);
        }

        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void Compression_bomb_stops_at_the_limit_without_allocating_past_it()
    {
        const int limit = 1 << 20;
        byte[] bomb = CompressedZeros(16L << 20);
        using var client = new PerMessageDeflate(DeflateLink.Parameters(), WebSocketRole.Client, new PerMessageDeflateOptions());
        var output = new ArrayBufferWriter<byte>();

        long before = GC.GetTotalAllocatedBytes(precise: true);
        InflateStatus status = client.Decompress(bomb, endOfMessage: true, output, limit);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(bomb.Length < 64 * 1024, $"the 16 MiB of zeros compressed to {bomb.Length} bytes");
        Assert.Equal(InflateStatus.TooLarge, status);
        Assert.Equal(limit, output.WrittenCount);
        Assert.True(allocated < 4L << 20, $"allocated {allocated} bytes inflating a 16 MiB bomb with a 1 MiB limit");
    }
}
