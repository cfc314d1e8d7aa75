using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>
/// The sender keeps to the agreed LZ77 window (RFC 7692 §7.1.2): a receiver whose window is exactly that size
/// inflates every message, even when the data repeats at distances only a larger window could reach.
/// </summary>
public sealed class WindowSizeTests
{
    // Blocks of random bytes each repeated 2 KiB later, across several messages: matches at 2 KiB distance tempt
    // any window of 12 bits or more.
    private static IEnumerable<byte[]> MessagesWithDistantRepeats()
    {
        for (int i = 0; i < 4; i++)
        {
            byte[] block = TestPayloads.Random(2048, seed: i);
            yield return [.. block, .. block, .. TestPayloads.Repetitive(700, seed: i)];
        }
    }

    private static bool InflatesWithWindow(int compressedWithBits, int inflatedWithBits)
    {
        using var sender = new PerMessageDeflate(DeflateLink.Parameters(serverBits: compressedWithBits),
            WebSocketRole.Server, new PerMessageDeflateOptions { CompressionLevel = 9 });
        using var inflater = new ZLibInflater(inflatedWithBits);
        foreach (byte[] message in MessagesWithDistantRepeats())
        {
            byte[] payload = [.. DeflateLink.Compress(sender, message), 0x00, 0x00, 0xFF, 0xFF];
            var output = new byte[message.Length + 16];
            int code = inflater.Inflate(payload, output, out int consumed, out int written);
            if (code is not (ZLib.Ok or ZLib.BufferError) || consumed != payload.Length
                || !output.AsSpan(0, written).SequenceEqual(message))
            {
                return false;
            }
        }

        return true;
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void Sender_output_inflates_with_exactly_the_agreed_window(int bits)
    {
        Assert.True(InflatesWithWindow(compressedWithBits: bits, inflatedWithBits: bits));
    }

    [Fact]
    public void Output_of_a_larger_window_does_not_inflate_with_a_smaller_one()
    {
        // Shows the check above can fail: a 15-bit sender reaches back further than 8 bits allow.
        Assert.False(InflatesWithWindow(compressedWithBits: 15, inflatedWithBits: 8));
    }
}
