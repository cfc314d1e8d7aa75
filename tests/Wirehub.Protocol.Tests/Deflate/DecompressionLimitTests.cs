using System.Buffers;
using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>Inflation stops at the caller's limit, and invalid data is reported, never thrown.</summary>
public sealed class DecompressionLimitTests
{
    private static PerMessageDeflate Client(bool serverNoContextTakeover = false) =>
        new(DeflateLink.Parameters(serverNoContextTakeover: serverNoContextTakeover), WebSocketRole.Client,
            new PerMessageDeflateOptions());

    [Fact]
    public void Output_exactly_at_the_limit_is_ok()
    {
        byte[] message = TestPayloads.Repetitive(1000);
        using var server = new PerMessageDeflate(DeflateLink.Parameters(), WebSocketRole.Server, new PerMessageDeflateOptions());
        using PerMessageDeflate client = Client();

        var (status, inflated) = DeflateLink.Decompress(client, DeflateLink.Compress(server, message), maxOutputBytes: 1000);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(message, inflated);
    }

    [Fact]
    public void Output_one_byte_over_the_limit_is_too_large()
    {
        byte[] message = TestPayloads.Repetitive(1000);
        using var server = new PerMessageDeflate(DeflateLink.Parameters(), WebSocketRole.Server, new PerMessageDeflateOptions());
        using PerMessageDeflate client = Client();

        var (status, inflated) = DeflateLink.Decompress(client, DeflateLink.Compress(server, message), maxOutputBytes: 999);

        Assert.Equal(InflateStatus.TooLarge, status);
        Assert.Equal(999, inflated.Length);
    }

    [Fact]
    public void Zero_limit_allows_an_empty_message()
    {
        using PerMessageDeflate client = Client();

        var (status, inflated) = DeflateLink.Decompress(client, [0x00], maxOutputBytes: 0);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Empty(inflated);
    }

    [Fact]
    public void Negative_limit_is_refused()
    {
        using PerMessageDeflate client = Client();

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            client.Decompress([0x00], true, new ArrayBufferWriter<byte>(), maxOutputBytes: -1));
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff })] // BTYPE 11 is reserved (RFC 1951 §3.2.3)
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x48, 0x65, 0x6c, 0x6c, 0x6f })] // NLEN is not ~LEN
    [InlineData(new byte[] { 0xf2, 0x00, 0x11, 0x00, 0x00 })] // refers back before the start of the stream
    public void Corrupt_data_is_invalid_data(byte[] payload)
    {
        using PerMessageDeflate client = Client();

        var (status, _) = DeflateLink.Decompress(client, payload);

        Assert.Equal(InflateStatus.InvalidData, status);
    }

    [Fact]
    public void Receiver_without_context_takeover_forgets_the_previous_message()
    {
        // RFC 7692 §7.2.3.2's second message refers to the first; without context takeover that window is gone.
        using PerMessageDeflate client = Client(serverNoContextTakeover: true);
        DeflateLink.Decompress(client, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]);

        var (status, _) = DeflateLink.Decompress(client, [0xf2, 0x00, 0x11, 0x00, 0x00]);

        Assert.Equal(InflateStatus.InvalidData, status);
    }

    [Fact]
    public void Inflater_given_back_after_invalid_data_serves_the_next_connection_cleanly()
    {
        using (PerMessageDeflate broken = Client(serverNoContextTakeover: true))
        {
            Assert.Equal(InflateStatus.InvalidData, DeflateLink.Decompress(broken, [0xff, 0xff, 0xff, 0xff]).Status);
        }

        using PerMessageDeflate next = Client(serverNoContextTakeover: true);
        var (status, message) = DeflateLink.Decompress(next, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal("Hello"u8.ToArray(), message);
    }
}
