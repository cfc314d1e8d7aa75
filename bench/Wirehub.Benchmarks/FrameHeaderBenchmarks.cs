using System.Buffers;
using BenchmarkDotNet.Attributes;
using Wirehub.Protocol;

namespace Wirehub.Benchmarks;

/// <summary>Frame header parsing and writing for each length encoding (RFC 6455 §5.2).</summary>
[MemoryDiagnoser]
public class FrameHeaderBenchmarks
{
    private readonly byte[] _wire = new byte[FrameHeader.MaxLength];
    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _segmented;
    private FrameHeader _header;

    /// <summary>Payload length: 7-bit, 16-bit and 64-bit encodings.</summary>
    [Params(100, 1000, 100_000)]
    public int PayloadLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _header = new FrameHeader(Opcode.Binary, fin: true, PayloadLength, masked: true, maskKey: 0x12345678);
        int length = _header.WriteTo(_wire);
        _contiguous = new ReadOnlySequence<byte>(_wire, 0, length);

        // Split after the first byte so the sequence overload takes its copying path.
        var first = new Segment(_wire.AsMemory(0, 1), 0);
        var second = first.Append(_wire.AsMemory(1, length - 1));
        _segmented = new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    [Benchmark(Baseline = true)]
    public long ReadSpan()
    {
        FrameHeader.TryRead(_wire, out FrameHeader header);
        return header.PayloadLength;
    }

    [Benchmark]
    public long ReadSingleSegmentSequence()
    {
        FrameHeader.TryRead(_contiguous, out FrameHeader header);
        return header.PayloadLength;
    }

    [Benchmark]
    public long ReadSegmentedSequence()
    {
        FrameHeader.TryRead(_segmented, out FrameHeader header);
        return header.PayloadLength;
    }

    [Benchmark]
    public int Write() => _header.WriteTo(_wire);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
