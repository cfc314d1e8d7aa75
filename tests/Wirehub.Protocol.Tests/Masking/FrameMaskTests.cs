using System.Text;

namespace Wirehub.Protocol.Tests.Masking;

public class FrameMaskTests
{
    // RFC 6455 §5.3: octet i of the transformed data is octet i of the original XOR octet (i MOD 4) of the key.
    private static byte[] MaskBytewise(byte[] data, int maskKey, long offset)
    {
        byte[] key = BitConverter.GetBytes(maskKey);
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(key);
        }

        byte[] result = new byte[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            result[i] = (byte)(data[i] ^ key[(offset + i) % 4]);
        }

        return result;
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Fact]
    public void Rfc_example_masked_Hello_unmasks_to_Hello()
    {
        // RFC 6455 §5.7: key 37 fa 21 3d, masked payload 7f 9f 4d 51 58.
        byte[] payload = Convert.FromHexString("7f9f4d5158");
        int key = BitConverter.ToInt32(Convert.FromHexString("37fa213d"));

        FrameMask.Apply(payload, key);

        Assert.Equal("Hello", Encoding.ASCII.GetString(payload));
    }

    [Fact]
    public void Every_length_up_to_300_at_every_offset_phase_matches_the_bytewise_definition()
    {
        const int key = unchecked((int)0xA1B2C3D4);
        for (int length = 0; length <= 300; length++)
        {
            byte[] original = RandomBytes(length, length);
            for (long offset = 0; offset < 8; offset++)
            {
                byte[] data = (byte[])original.Clone();

                FrameMask.Apply(data, key, offset);

                Assert.True(MaskBytewise(original, key, offset).AsSpan().SequenceEqual(data),
                    $"length {length}, offset {offset}");
            }
        }
    }

    [Theory]
    [InlineData(4096, 0)]
    [InlineData(65537, 3)]
    [InlineData((1 << 20) + 3, 1)]
    [InlineData(1000, 0x1_0000_0002L)]
    [InlineData(77, long.MaxValue - 77)]
    public void Large_payloads_and_offsets_match_the_bytewise_definition(int length, long offset)
    {
        byte[] original = RandomBytes(length, length);
        byte[] data = (byte[])original.Clone();

        FrameMask.Apply(data, 0x5A17C0DE, offset);

        Assert.Equal(MaskBytewise(original, 0x5A17C0DE, offset), data);
    }

    [Fact]
    public void Unaligned_slices_match_the_bytewise_definition()
    {
        byte[] original = RandomBytes(1200, 7);
        for (int start = 0; start < 64; start++)
        {
            byte[] data = (byte[])original.Clone();
            Span<byte> slice = data.AsSpan(start, 1000);

            FrameMask.Apply(slice, -123456789, offset: start);

            Assert.True(MaskBytewise(original[start..(start + 1000)], -123456789, start).AsSpan().SequenceEqual(slice),
                $"start {start}");
        }
    }

    [Fact]
    public void Payload_unmasked_piece_by_piece_equals_payload_unmasked_at_once()
    {
        byte[] original = RandomBytes(700, 11);
        byte[] whole = (byte[])original.Clone();
        FrameMask.Apply(whole, 0x0BADF00D);

        for (int cut = 0; cut <= original.Length; cut++)
        {
            byte[] pieces = (byte[])original.Clone();

            FrameMask.Apply(pieces.AsSpan(0, cut), 0x0BADF00D, offset: 0);
            FrameMask.Apply(pieces.AsSpan(cut), 0x0BADF00D, offset: cut);

            Assert.True(whole.AsSpan().SequenceEqual(pieces), $"cut at {cut}");
        }
    }

    [Fact]
    public void Masking_twice_restores_the_payload()
    {
        byte[] original = RandomBytes(333, 5);
        byte[] data = (byte[])original.Clone();

        FrameMask.Apply(data, 0x7E57AB1E);
        Assert.NotEqual(original, data);
        FrameMask.Apply(data, 0x7E57AB1E);

        Assert.Equal(original, data);
    }

    [Fact]
    public void Zero_key_leaves_the_payload_unchanged()
    {
        byte[] original = RandomBytes(100, 3);
        byte[] data = (byte[])original.Clone();

        FrameMask.Apply(data, 0, offset: 2);

        Assert.Equal(original, data);
    }

    [Fact]
    public void Negative_offset_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameMask.Apply(new byte[4], 1, offset: -1));
    }
}
