using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.HarnessTests;

public sealed class WireFrameHeaderTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65535, 4)]
    [InlineData(65536, 10)]
    public void Built_frames_use_the_minimal_length_encoding_and_parse_back(int length, int headerLength)
    {
        var frame = FrameBuilder.Build(WireOpcode.Binary, new byte[length], fin: false, rsv: 5);

        Assert.True(WireFrameHeader.TryParse(frame, out var header));
        Assert.Equal((false, 5, WireOpcode.Binary, false, (long)length, headerLength, true),
            (header.Fin, header.Rsv, header.Opcode, header.Masked, header.PayloadLength, header.HeaderLength, header.UsesMinimalLength));
    }

    [Fact]
    public void Masked_frame_carries_its_key_and_unmasks_to_the_payload()
    {
        var frame = FrameBuilder.Build(WireOpcode.Text, "Hello"u8, masked: true);

        Assert.True(WireFrameHeader.TryParse(frame, out var header));
        var key = new byte[4];
        header.WriteMaskKey(key);
        var payload = frame[header.HeaderLength..];
        PayloadMasker.Apply(payload, key);
        Assert.True(header.Masked);
        Assert.Equal("Hello"u8.ToArray(), payload);
    }

    [Fact]
    public void Length_126_written_with_the_16_bit_form_for_a_short_payload_is_not_minimal()
    {
        byte[] header = [0x81, 126, 0x00, 0x05];

        Assert.True(WireFrameHeader.TryParse(header, out var parsed));
        Assert.False(parsed.UsesMinimalLength);
        Assert.Equal(126, parsed.Length7);
    }

    [Fact]
    public void Sixty_four_bit_length_with_the_most_significant_bit_set_is_not_valid()
    {
        byte[] header = [0x82, 127, 0x80, 0, 0, 0, 0, 1, 0, 0];

        Assert.True(WireFrameHeader.TryParse(header, out var parsed));
        Assert.False(parsed.UsesMinimalLength);
    }

    [Fact]
    public void Every_truncated_header_asks_for_more_bytes()
    {
        var frame = FrameBuilder.Build(WireOpcode.Binary, new byte[70000], masked: true);

        for (int n = 0; n < 14; n++) Assert.False(WireFrameHeader.TryParse(frame.AsSpan(0, n), out _), $"{n} bytes parsed as a complete header");
        Assert.True(WireFrameHeader.TryParse(frame.AsSpan(0, 14), out _));
    }
}
