using Wirehub.Cli.Bench;
using Wirehub.Protocol;

namespace Wirehub.Bench.Tests.Latency;

/// <summary>The per-message work of the generator, and the once-a-second sampling beside it, must not allocate.</summary>
public class AllocationTests
{
    [Fact]
    public void Recording_latency_allocates_nothing()
    {
        LatencyHistogram histogram = new();
        histogram.Record(1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            histogram.Record(i * 997L);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Snapshotting_the_histogram_into_a_reused_array_allocates_nothing()
    {
        LatencyHistogram histogram = new();
        histogram.Record(12_345);
        long[] snapshot = new long[LatencyHistogram.BucketCount];
        histogram.AddCountsTo(snapshot);
        LatencyHistogram.ValueAtPercentile(snapshot, 99);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Array.Clear(snapshot);
        histogram.AddCountsTo(snapshot);
        histogram.CopyCountsTo(snapshot);
        long p99 = LatencyHistogram.ValueAtPercentile(snapshot, 99);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(p99 >= 12_345);
    }

    [Fact]
    public void Scanning_received_messages_allocates_nothing()
    {
        byte[] frames = new byte[64 * 40];
        int length = 0;
        for (int i = 0; i < 40; i++)
        {
            FrameHeader header = new(Opcode.Binary, fin: true, payloadLength: 32);
            length += header.WriteTo(frames.AsSpan(length));
            length += 32;
        }

        ReceivedMessageScanner scanner = new(prefixLength: 16);
        Scan(scanner, frames.AsSpan(0, length));

        long before = GC.GetAllocatedBytesForCurrentThread();
        int messages = Scan(scanner, frames.AsSpan(0, length));

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(40, messages);
    }

    [Fact]
    public void Stamping_and_slicing_frames_allocates_nothing()
    {
        MaskedFrameBlock block = new(Opcode.Binary, new byte[32], count: 16);
        Span<byte> stamp = stackalloc byte[8];
        block.Stamp(0, stamp);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < block.Count; i++)
        {
            stamp[0] = (byte)i;
            block.Stamp(i, stamp);
        }

        int bytes = block.First(block.Count).Length;

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(16 * block.FrameLength, bytes);
    }

    private static int Scan(ReceivedMessageScanner scanner, ReadOnlySpan<byte> data)
    {
        int messages = 0;
        while (scanner.TryRead(ref data, out _, out _, out _))
        {
            messages++;
        }

        return messages;
    }
}
