using System.Buffers;
using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>Once warmed up, compressing and inflating messages allocates nothing on the managed heap.</summary>
public sealed class HotPathAllocationTests
{
    private const int Messages = 200;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compressing_messages_allocates_nothing(bool contextTakeover)
    {
        using var server = new PerMessageDeflate(DeflateLink.Parameters(serverNoContextTakeover: !contextTakeover),
            WebSocketRole.Server, new PerMessageDeflateOptions());
        byte[] message = TestPayloads.JsonEvent(1);
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        server.Compress(message, endOfMessage: true, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Messages; i++)
        {
            output.ResetWrittenCount();
            server.Compress(message, endOfMessage: true, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Inflating_messages_allocates_nothing(bool contextTakeover)
    {
        var agreed = DeflateLink.Parameters(serverNoContextTakeover: !contextTakeover);
        using var server = new PerMessageDeflate(agreed, WebSocketRole.Server, new PerMessageDeflateOptions());
        using var client = new PerMessageDeflate(agreed, WebSocketRole.Client, new PerMessageDeflateOptions());
        byte[][] compressed = Enumerable.Range(0, Messages + 1)
            .Select(i => DeflateLink.Compress(server, TestPayloads.JsonEvent(i))).ToArray();
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        Assert.Equal(InflateStatus.Ok, client.Decompress(compressed[0], true, output, long.MaxValue));

        long before = GC.GetAllocatedBytesForCurrentThread();
        InflateStatus last = InflateStatus.Ok;
        for (int i = 1; i <= Messages && last == InflateStatus.Ok; i++)
        {
            output.ResetWrittenCount();
            last = client.Decompress(compressed[i], true, output, long.MaxValue);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(InflateStatus.Ok, last);
        Assert.Equal(0, allocated);
    }
}
