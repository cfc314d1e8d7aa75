using Wirehub.Cli.Bench;
using Wirehub.Protocol;

namespace Wirehub.Bench.Tests.Frames;

public class MaskedFrameBlockTests
{
    // Reads frame `index` of a block back as a server would: header, then the payload unmasked (RFC 6455 §5.3).
    private static (FrameHeader Header, byte[] Payload) Frame(MaskedFrameBlock block, int index)
    {
        ReadOnlySpan<byte> frame = block.First(block.Count).Span.Slice(index * block.FrameLength, block.FrameLength);
        Assert.Equal(FrameReadStatus.Complete, FrameHeader.TryRead(frame, out FrameHeader header));
        byte[] payload = frame[header.Length..].ToArray();
        FrameMask.Apply(payload, header.MaskKey);
        return (header, payload);
    }

    [Fact]
    public void Every_frame_is_a_final_masked_frame_that_unmasks_to_the_payload()
    {
        byte[] payload = ServerFrames.Payload(32, seed: 40);
        MaskedFrameBlock block = new(Opcode.Binary, payload, count: 3);

        for (int i = 0; i < block.Count; i++)
        {
            (FrameHeader header, byte[] unmasked) = Frame(block, i);
            Assert.True(header.Fin);
            Assert.True(header.Masked);
            Assert.Equal(MaskedFrameBlock.MaskKey, header.MaskKey);
            Assert.Equal(Opcode.Binary, header.Opcode);
            Assert.Equal(payload, unmasked);
        }
    }

    [Fact]
    public void Payload_bytes_on_the_wire_differ_from_the_plain_payload()
    {
        byte[] payload = ServerFrames.Payload(16);
        MaskedFrameBlock block = new(Opcode.Binary, payload, count: 1);

        byte[] wire = block.First(1).Span[(block.FrameLength - 16)..].ToArray();

        Assert.NotEqual(payload, wire);
    }

    [Theory]
    [InlineData(125, 2 + 4)]
    [InlineData(126, 4 + 4)]
    [InlineData(70_000, 10 + 4)]
    public void Frame_length_is_header_with_mask_key_plus_payload(int payloadLength, int headerLength)
    {
        MaskedFrameBlock block = new(Opcode.Text, new byte[payloadLength], count: 2);

        Assert.Equal(headerLength + payloadLength, block.FrameLength);
        Assert.Equal(payloadLength, Frame(block, 1).Header.PayloadLength);
    }

    [Fact]
    public void Stamp_replaces_the_first_bytes_of_one_frame_only()
    {
        byte[] payload = ServerFrames.Payload(20, seed: 100);
        MaskedFrameBlock block = new(Opcode.Binary, payload, count: 3);

        block.Stamp(1, [1, 2, 3, 4, 5]);

        Assert.Equal(payload, Frame(block, 0).Payload);
        Assert.Equal([1, 2, 3, 4, 5, .. payload[5..]], Frame(block, 1).Payload);
        Assert.Equal(payload, Frame(block, 2).Payload);
    }

    [Fact]
    public void First_k_frames_are_k_whole_frames()
    {
        MaskedFrameBlock block = new(Opcode.Text, new byte[10], count: 8);

        Assert.Equal(3 * block.FrameLength, block.First(3).Length);
        Assert.Equal(8, block.Count);
    }

    [Fact]
    public void Close_frame_is_a_masked_1000_normal_closure()
    {
        byte[] frame = ClientCloseFrame.Bytes.ToArray();

        Assert.Equal(FrameReadStatus.Complete, FrameHeader.TryRead(frame, out FrameHeader header));
        byte[] payload = frame[header.Length..];
        FrameMask.Apply(payload, header.MaskKey);
        Assert.Equal(Opcode.Close, header.Opcode);
        Assert.True(header.Masked);
        Assert.Equal([0x03, 0xE8], payload);
    }
}
