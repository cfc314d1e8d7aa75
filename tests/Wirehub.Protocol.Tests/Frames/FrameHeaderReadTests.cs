using System.Buffers;

namespace Wirehub.Protocol.Tests.Frames;

public class FrameHeaderReadTests
{
    private static FrameHeader ReadComplete(string hex)
    {
        FrameReadStatus status = FrameHeader.TryRead(Convert.FromHexString(hex), out FrameHeader header);
        Assert.Equal(FrameReadStatus.Complete, status);
        return header;
    }

    [Fact]
    public void Rfc_example_unmasked_text_frame_reads_FIN_Text_length_5()
    {
        // RFC 6455 §5.7: a single-frame unmasked text message "Hello".
        FrameHeader header = ReadComplete("810548656c6c6f");

        Assert.Equal(Opcode.Text, header.Opcode);
        Assert.True(header.Fin);
        Assert.False(header.Masked);
        Assert.Equal(5, header.PayloadLength);
        Assert.Equal(2, header.Length);
    }

    [Fact]
    public void Rfc_example_masked_text_frame_reads_mask_key_in_wire_order()
    {
        // RFC 6455 §5.7: a single-frame masked text message "Hello", key 37 fa 21 3d.
        FrameHeader header = ReadComplete("818537fa213d7f9f4d5158");

        Assert.True(header.Masked);
        Assert.Equal(5, header.PayloadLength);
        Assert.Equal(6, header.Length);
        Assert.Equal(0x3d21fa37, header.MaskKey);
    }

    [Fact]
    public void Rfc_example_fragmented_message_reads_first_fragment_without_FIN()
    {
        // RFC 6455 §5.7: "Hel" as the first fragment, then "lo" as a final continuation.
        FrameHeader first = ReadComplete("0103");
        FrameHeader last = ReadComplete("8002");

        Assert.Equal((Opcode.Text, false, 3L), (first.Opcode, first.Fin, first.PayloadLength));
        Assert.Equal((Opcode.Continuation, true, 2L), (last.Opcode, last.Fin, last.PayloadLength));
    }

    [Fact]
    public void Rfc_example_256_byte_binary_frame_uses_16_bit_length()
    {
        FrameHeader header = ReadComplete("827e0100");

        Assert.Equal(Opcode.Binary, header.Opcode);
        Assert.Equal(256, header.PayloadLength);
        Assert.Equal(4, header.Length);
    }

    [Fact]
    public void Rfc_example_64_KiB_binary_frame_uses_64_bit_length()
    {
        FrameHeader header = ReadComplete("827f0000000000010000");

        Assert.Equal(65536, header.PayloadLength);
        Assert.Equal(10, header.Length);
    }

    [Fact]
    public void Seven_bit_length_125_is_the_largest_in_the_first_byte()
    {
        FrameHeader header = ReadComplete("827d");

        Assert.Equal(125, header.PayloadLength);
        Assert.Equal(2, header.Length);
    }

    [Fact]
    public void Sixteen_bit_length_65535_is_read_big_endian()
    {
        FrameHeader header = ReadComplete("827effff");

        Assert.Equal(65535, header.PayloadLength);
        Assert.Equal(4, header.Length);
    }

    [Fact]
    public void Sixty_four_bit_length_up_to_long_MaxValue_is_accepted()
    {
        FrameHeader header = ReadComplete("827f7fffffffffffffff");

        Assert.Equal(long.MaxValue, header.PayloadLength);
    }

    [Fact]
    public void Sixty_four_bit_length_with_most_significant_bit_set_is_InvalidLength()
    {
        byte[] wire = Convert.FromHexString("827f8000000000000000");

        Assert.Equal(FrameReadStatus.InvalidLength, FrameHeader.TryRead(wire, out _));
    }

    [Fact]
    public void Invalid_64_bit_length_is_reported_before_the_mask_key_arrives()
    {
        byte[] wire = Convert.FromHexString("82ff8000000000000005");

        Assert.Equal(FrameReadStatus.InvalidLength, FrameHeader.TryRead(wire, out _));
    }

    [Fact]
    public void Longer_than_minimal_length_encoding_is_accepted_and_Length_is_the_wire_size()
    {
        FrameHeader sixteen = ReadComplete("817e0005");
        FrameHeader sixtyFour = ReadComplete("81ff0000000000000005aabbccdd");

        Assert.Equal((5L, 4), (sixteen.PayloadLength, sixteen.Length));
        Assert.Equal((5L, 14), (sixtyFour.PayloadLength, sixtyFour.Length));
    }

    [Theory]
    [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)] [InlineData(7)]
    [InlineData(11)] [InlineData(12)] [InlineData(13)] [InlineData(14)] [InlineData(15)]
    public void Reserved_opcode_is_read_as_its_raw_value(int opcode)
    {
        byte[] wire = [(byte)(0x80 | opcode), 0x00];

        Assert.Equal(FrameReadStatus.Complete, FrameHeader.TryRead(wire, out FrameHeader header));
        Assert.Equal(opcode, (int)header.Opcode);
    }

    [Theory]
    [InlineData(0x40, true, false, false)]
    [InlineData(0x20, false, true, false)]
    [InlineData(0x10, false, false, true)]
    public void Each_reserved_bit_is_read_from_its_own_position(int bit, bool rsv1, bool rsv2, bool rsv3)
    {
        byte[] wire = [(byte)(bit | 0x01), 0x00];

        FrameHeader.TryRead(wire, out FrameHeader header);

        Assert.Equal((rsv1, rsv2, rsv3, false, Opcode.Text), (header.Rsv1, header.Rsv2, header.Rsv3, header.Fin, header.Opcode));
    }

    [Theory]
    [InlineData("")]
    [InlineData("81")]
    [InlineData("817e")]
    [InlineData("817e01")]
    [InlineData("817f00000000000000")]
    [InlineData("8185")]
    [InlineData("818537fa21")]
    [InlineData("81fe0100aabbcc")]
    [InlineData("81ff0000000000010000aabbcc")]
    public void Truncated_header_needs_more_data(string hex)
    {
        Assert.Equal(FrameReadStatus.NeedMoreData, FrameHeader.TryRead(Convert.FromHexString(hex), out FrameHeader header));
        Assert.Equal(default, header);
    }

    [Fact]
    public void Bytes_after_the_header_are_ignored()
    {
        FrameHeader header = ReadComplete("8103616263ffffffff");

        Assert.Equal((3L, 2), (header.PayloadLength, header.Length));
    }

    [Fact]
    public void Header_split_across_sequence_segments_reads_the_same_as_contiguous_bytes()
    {
        byte[] wire = Convert.FromHexString("82ff0000000000010000a1b2c3d4");
        ReadOnlySequence<byte> sequence = SegmentedSequence.Create(wire[..1], wire[1..3], wire[3..9], [], wire[9..]);

        Assert.Equal(FrameReadStatus.Complete, FrameHeader.TryRead(sequence, out FrameHeader fromSequence));
        FrameHeader.TryRead(wire, out FrameHeader fromSpan);
        Assert.Equal(fromSpan, fromSequence);
        Assert.Equal(14, fromSequence.Length);
    }

    [Fact]
    public void Truncated_header_in_a_segmented_sequence_needs_more_data()
    {
        byte[] wire = Convert.FromHexString("82ff0000000000010000a1b2");
        ReadOnlySequence<byte> sequence = SegmentedSequence.Create(wire[..3], wire[3..]);

        Assert.Equal(FrameReadStatus.NeedMoreData, FrameHeader.TryRead(sequence, out _));
    }

    [Fact]
    public void Invalid_length_in_a_segmented_sequence_is_InvalidLength()
    {
        byte[] wire = Convert.FromHexString("827fff00000000000000");
        ReadOnlySequence<byte> sequence = SegmentedSequence.Create(wire[..2], wire[2..5], wire[5..]);

        Assert.Equal(FrameReadStatus.InvalidLength, FrameHeader.TryRead(sequence, out _));
    }

    [Fact]
    public void Single_segment_sequence_shorter_than_MaxLength_is_read()
    {
        var sequence = new ReadOnlySequence<byte>(Convert.FromHexString("8a00"));

        Assert.Equal(FrameReadStatus.Complete, FrameHeader.TryRead(sequence, out FrameHeader header));
        Assert.Equal(Opcode.Pong, header.Opcode);
    }
}
