namespace Wirehub.Protocol.Tests.Frames;

public class FrameHeaderWriteTests
{
    private static string Write(FrameHeader header)
    {
        Span<byte> buffer = stackalloc byte[FrameHeader.MaxLength];
        int written = header.WriteTo(buffer);
        return Convert.ToHexString(buffer[..written]).ToLowerInvariant();
    }

    [Fact]
    public void Rfc_example_unmasked_text_header_is_written()
    {
        Assert.Equal("8105", Write(new FrameHeader(Opcode.Text, fin: true, payloadLength: 5)));
    }

    [Fact]
    public void Rfc_example_masked_text_header_is_written_with_key_in_wire_order()
    {
        var header = new FrameHeader(Opcode.Text, fin: true, payloadLength: 5, masked: true, maskKey: 0x3d21fa37);

        Assert.Equal("818537fa213d", Write(header));
    }

    [Theory]
    [InlineData(0, "8200")]
    [InlineData(125, "827d")]
    [InlineData(126, "827e007e")]
    [InlineData(65535, "827effff")]
    [InlineData(65536, "827f0000000000010000")]
    [InlineData(long.MaxValue, "827f7fffffffffffffff")]
    public void Length_is_written_with_the_minimal_encoding(long payloadLength, string expected)
    {
        Assert.Equal(expected, Write(new FrameHeader(Opcode.Binary, fin: true, payloadLength)));
    }

    [Theory]
    [InlineData(0, false, 2)]
    [InlineData(125, false, 2)]
    [InlineData(126, false, 4)]
    [InlineData(65535, false, 4)]
    [InlineData(65536, false, 10)]
    [InlineData(long.MaxValue, false, 10)]
    [InlineData(125, true, 6)]
    [InlineData(126, true, 8)]
    [InlineData(65536, true, 14)]
    public void GetLength_counts_length_encoding_and_mask_key(long payloadLength, bool masked, int expected)
    {
        Assert.Equal(expected, FrameHeader.GetLength(payloadLength, masked));
        Assert.Equal(expected, new FrameHeader(Opcode.Binary, true, payloadLength, masked: masked).Length);
    }

    [Fact]
    public void Flags_and_reserved_opcode_are_written_in_the_first_byte()
    {
        var header = new FrameHeader((Opcode)0xB, fin: false, rsv1: true, rsv2: false, rsv3: true, masked: false, maskKey: 0,
            payloadLength: 0);

        Assert.Equal("5b00", Write(header));
    }

    [Fact]
    public void Mask_key_is_not_written_for_an_unmasked_header()
    {
        var header = new FrameHeader(Opcode.Ping, fin: true, payloadLength: 1, masked: false, maskKey: 0x12345678);

        Assert.Equal("8901", Write(header));
        Assert.Equal(0, header.MaskKey);
    }

    [Fact]
    public void Destination_shorter_than_the_header_throws_naming_the_size_needed()
    {
        var header = new FrameHeader(Opcode.Binary, fin: true, payloadLength: 70000, masked: true, maskKey: 1);
        byte[] destination = new byte[13];

        var error = Assert.Throws<ArgumentException>(() => header.WriteTo(destination));
        Assert.Contains("14", error.Message);
    }

    [Fact]
    public void Negative_payload_length_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameHeader(Opcode.Binary, fin: true, payloadLength: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameHeader.GetLength(-1, masked: false));
    }

    [Fact]
    public void Opcode_wider_than_4_bits_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameHeader((Opcode)16, fin: true, payloadLength: 0));
    }

    [Fact]
    public void Constructed_header_reports_every_field()
    {
        var header = new FrameHeader(Opcode.Close, fin: true, rsv1: true, rsv2: true, rsv3: false, masked: true,
            maskKey: -2, payloadLength: 300);

        Assert.Equal((Opcode.Close, true, true, true, false), (header.Opcode, header.Fin, header.Rsv1, header.Rsv2, header.Rsv3));
        Assert.Equal((true, -2, 300L, 8), (header.Masked, header.MaskKey, header.PayloadLength, header.Length));
    }
}
