using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Wirehub.Protocol.Tests.Frames;

public class FrameHeaderPropertyTests
{
    public static class Headers
    {
        // Lengths from all three encodings, with their boundaries weighted in.
        private static Gen<long> PayloadLength() => Gen.OneOf(
            Gen.Choose(0, 125).Select(n => (long)n),
            Gen.Choose(126, 65535).Select(n => (long)n),
            Gen.Elements(0L, 125L, 126L, 65535L, 65536L, long.MaxValue),
            Gen.Two(Gen.Choose(0, int.MaxValue)).Select(t => ((long)t.Item1 << 32 | (uint)t.Item2) & long.MaxValue));

        public static Arbitrary<FrameHeader> Arbitrary() =>
            (from opcode in Gen.Choose(0, 15)
             from flags in Gen.Choose(0, 31)
             from key in ArbMap.Default.GeneratorFor<int>()
             from length in PayloadLength()
             select new FrameHeader((Opcode)opcode, fin: (flags & 1) != 0, rsv1: (flags & 2) != 0, rsv2: (flags & 4) != 0,
                 rsv3: (flags & 8) != 0, masked: (flags & 16) != 0, maskKey: key, payloadLength: length))
            .ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Headers)])]
    public void Written_header_reads_back_unchanged(FrameHeader original)
    {
        byte[] wire = new byte[FrameHeader.MaxLength];
        int written = original.WriteTo(wire);

        Assert.Equal(FrameReadStatus.Complete, FrameHeader.TryRead(wire.AsSpan(0, written), out FrameHeader read));
        Assert.Equal(original, read);
        Assert.Equal(written, read.Length);
    }

    [Property(Arbitrary = [typeof(Headers)])]
    public void Every_proper_prefix_of_a_written_header_needs_more_data(FrameHeader original)
    {
        byte[] wire = new byte[FrameHeader.MaxLength];
        int written = original.WriteTo(wire);

        for (int length = 0; length < written; length++)
        {
            Assert.Equal(FrameReadStatus.NeedMoreData, FrameHeader.TryRead(wire.AsSpan(0, length), out _));
            Assert.Equal(FrameReadStatus.NeedMoreData,
                FrameHeader.TryRead(new ReadOnlySequence<byte>(wire, 0, length), out _));
        }
    }

    [Property]
    public void Arbitrary_bytes_never_throw_and_a_complete_header_fits_in_them(byte[] bytes)
    {
        FrameReadStatus status = FrameHeader.TryRead(bytes, out FrameHeader header);

        if (status == FrameReadStatus.Complete)
        {
            Assert.InRange(header.Length, 2, Math.Min(bytes.Length, FrameHeader.MaxLength));
            Assert.InRange(header.PayloadLength, 0, long.MaxValue);
        }
        else
        {
            Assert.Equal(default, header);
        }
    }

    [Property]
    public void Segmented_sequence_reads_the_same_as_the_span(byte[] bytes, int[] cuts)
    {
        int[] positions = [.. cuts.Select(c => (int)((uint)c % (uint)(bytes.Length + 1)))];
        ReadOnlySequence<byte> sequence = SegmentedSequence.Split(bytes, positions);

        FrameReadStatus fromSpan = FrameHeader.TryRead(bytes, out FrameHeader spanHeader);
        FrameReadStatus fromSequence = FrameHeader.TryRead(sequence, out FrameHeader sequenceHeader);

        Assert.Equal(fromSpan, fromSequence);
        Assert.Equal(spanHeader, sequenceHeader);
    }
}
