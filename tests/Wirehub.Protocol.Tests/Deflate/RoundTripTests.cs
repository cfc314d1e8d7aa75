using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>
/// Messages compressed by one end inflate to the same bytes at the other, in both directions, for every window size
/// and with and without context takeover.
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<WebSocketRole, int, bool> Agreements()
    {
        var data = new TheoryData<WebSocketRole, int, bool>();
        foreach (WebSocketRole sender in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            for (int bits = 8; bits <= 15; bits++)
            {
                data.Add(sender, bits, true);
                data.Add(sender, bits, false);
            }
        }

        return data;
    }

    private static DeflateLink Link(WebSocketRole sender, int bits, bool contextTakeover) =>
        new(new PerMessageDeflateParameters(!contextTakeover, !contextTakeover, bits, bits), sender);

    [Theory]
    [MemberData(nameof(Agreements))]
    public void Many_messages_in_a_row_round_trip(WebSocketRole sender, int bits, bool contextTakeover)
    {
        using DeflateLink link = Link(sender, bits, contextTakeover);

        for (int i = 0; i < 50; i++)
        {
            byte[] message = TestPayloads.JsonEvent(i);
            Assert.Equal(message, link.RoundTrip(message));
        }
    }

    [Theory]
    [MemberData(nameof(Agreements))]
    public void Fragmented_messages_round_trip(WebSocketRole sender, int bits, bool contextTakeover)
    {
        using DeflateLink link = Link(sender, bits, contextTakeover);

        for (int i = 0; i < 5; i++)
        {
            byte[] message = TestPayloads.Repetitive(5000 + i * 100, seed: i);
            Assert.Equal(message, link.RoundTrip(message, [1, 0, 700, 1500, 33]));
        }
    }

    [Theory]
    [MemberData(nameof(Agreements))]
    public void Empty_messages_and_fragments_round_trip(WebSocketRole sender, int bits, bool contextTakeover)
    {
        using DeflateLink link = Link(sender, bits, contextTakeover);
        byte[] hello = "Hello"u8.ToArray();

        Assert.Empty(link.RoundTrip([]));
        Assert.Equal(hello, link.RoundTrip(hello));
        Assert.Empty(link.RoundTrip([], [0, 0]));
        Assert.Equal(hello, link.RoundTrip(hello, [5])); // the last fragment is empty
        Assert.Equal(hello, link.RoundTrip(hello, [0, 2, 0]));
        Assert.Empty(link.RoundTrip([]));
        Assert.Equal(hello, link.RoundTrip(hello));
    }

    [Theory]
    [MemberData(nameof(Agreements))]
    public void Megabyte_of_random_data_round_trips(WebSocketRole sender, int bits, bool contextTakeover)
    {
        using DeflateLink link = Link(sender, bits, contextTakeover);
        byte[] message = TestPayloads.Random(1 << 20, seed: bits);

        Assert.Equal(message, link.RoundTrip(message));
        Assert.Equal(message, link.RoundTrip(message, [100_000, 300_000]));
    }

    [Theory]
    [MemberData(nameof(Agreements))]
    public void Megabyte_of_repetitive_data_round_trips_and_shrinks(WebSocketRole sender, int bits, bool contextTakeover)
    {
        using DeflateLink link = Link(sender, bits, contextTakeover);
        byte[] message = TestPayloads.Repetitive(1 << 20, seed: bits);

        byte[] compressed = DeflateLink.Compress(link.Sender, message);
        var (status, inflated) = DeflateLink.Decompress(link.Receiver, compressed);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(message, inflated);
        Assert.True(compressed.Length < message.Length / 2, $"compressed to {compressed.Length} bytes");
    }
}
