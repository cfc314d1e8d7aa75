using System.Text;
using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.HarnessTests;

public sealed class DeflateCodecTests
{
    private static readonly byte[][] Messages =
    [
        Encoding.UTF8.GetBytes("Hello"),
        Encoding.UTF8.GetBytes("Hello"),
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"behavior\": \"OK\", \"duration\": 12}, ", 400))),
        [],
        Enumerable.Range(0, 70000).Select(i => (byte)(i * 31 % 251)).ToArray(),
    ];

    [Theory]
    [InlineData(false, 15, false)]
    [InlineData(true, 15, true)]
    [InlineData(false, 9, false)]
    [InlineData(true, 8, true)]
    public void Messages_inflate_to_what_was_compressed_in_a_row(bool withoutContextTakeover, int windowBits, bool peerResets)
    {
        using var sender = new DeflateCodec(withoutContextTakeover, windowBits, peerResetsContext: false);
        using var receiver = new DeflateCodec(compressWithoutContextTakeover: false, 15, peerResets);

        foreach (var message in Messages)
            Assert.Equal(message, receiver.Decompress(sender.Compress(message)));
    }

    [Fact]
    public void Compressed_payload_does_not_end_with_the_sync_flush_tail()
    {
        using var codec = new DeflateCodec(false, 15, false);

        var payload = codec.Compress(Encoding.UTF8.GetBytes("Hello"));

        Assert.False(payload.AsSpan().EndsWith(new byte[] { 0x00, 0x00, 0xFF, 0xFF }));
    }

    [Fact]
    public void Window_below_15_bits_sends_stored_blocks_that_carry_the_plain_bytes()
    {
        using var codec = new DeflateCodec(false, 9, false);
        var message = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("abcabcabc", 50)));

        var payload = codec.Compress(message);

        Assert.True(payload.Length > message.Length);
        Assert.True(payload.AsSpan().IndexOf(message) >= 0);
    }

    [Fact]
    public void Hello_compressed_as_in_RFC_7692_section_7_2_3_1_inflates()
    {
        using var codec = new DeflateCodec(false, 15, false);

        Assert.Equal("Hello", Encoding.UTF8.GetString(codec.Decompress([0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])));
    }

    [Fact]
    public void Second_hello_using_the_shared_window_of_RFC_7692_section_7_2_3_2_inflates()
    {
        using var codec = new DeflateCodec(false, 15, peerResetsContext: false);
        codec.Decompress([0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]);

        Assert.Equal("Hello", Encoding.UTF8.GetString(codec.Decompress([0xF2, 0x00, 0x11, 0x00, 0x00])));
    }

    [Fact]
    public void Corrupt_payload_is_reported_as_invalid_data()
    {
        using var codec = new DeflateCodec(false, 15, false);

        Assert.Throws<InvalidDataException>(() => codec.Decompress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));
    }
}
