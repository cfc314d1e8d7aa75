using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>Compress then Decompress is the identity, whatever the bytes, fragmentation and agreement.</summary>
public sealed class RoundTripProperties
{
    /// <summary>One connection's worth of traffic in one direction.</summary>
    public sealed record Scenario(PerMessageDeflateParameters Agreed, WebSocketRole Sender, int Level,
        IReadOnlyList<(byte[] Message, int[] FragmentLengths)> Messages)
    {
        public override string ToString() =>
            $"{Agreed}, sender {Sender}, level {Level}, messages [{string.Join(", ", Messages.Select(m =>
                $"{m.Message.Length} bytes in fragments [{string.Join(",", m.FragmentLengths)}]+rest"))}]";
    }

    private static readonly Gen<PerMessageDeflateParameters> AgreedParameters =
        from serverNoContextTakeover in Gen.Elements(true, false)
        from clientNoContextTakeover in Gen.Elements(true, false)
        from serverBits in Gen.Choose(8, 15)
        from clientBits in Gen.Choose(8, 15)
        select new PerMessageDeflateParameters(serverNoContextTakeover, clientNoContextTakeover, serverBits, clientBits);

    // Arbitrary arrays as FsCheck makes them, plus larger seeded ones, random and repetitive, that cross zlib's
    // internal buffer sizes.
    private static readonly Gen<byte[]> Bytes = Gen.OneOf(
        ArbMap.Default.GeneratorFor<byte[]>(),
        from length in Gen.Choose(0, 70_000)
        from seed in Gen.Choose(0, 1_000_000)
        select TestPayloads.Random(length, seed),
        from length in Gen.Choose(0, 70_000)
        from seed in Gen.Choose(0, 1_000_000)
        select TestPayloads.Repetitive(length, seed));

    private static readonly Gen<(byte[], int[])> FragmentedMessage =
        from message in Bytes
        from fragmentLengths in Gen.ArrayOf(Gen.Choose(0, 20_000)).Resize(6)
        select (message, fragmentLengths);

    private static readonly Gen<Scenario> Scenarios =
        from agreed in AgreedParameters
        from sender in Gen.Elements(WebSocketRole.Server, WebSocketRole.Client)
        from level in Gen.Choose(0, 9)
        from messages in Gen.ArrayOf(FragmentedMessage).Resize(8)
        select new Scenario(agreed, sender, level, messages);

    [Property(MaxTest = 150)]
    public Property Compress_then_decompress_returns_every_message() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            using var link = new DeflateLink(scenario.Agreed, scenario.Sender,
                new PerMessageDeflateOptions { CompressionLevel = scenario.Level });
            return scenario.Messages.All(m => link.RoundTrip(m.Message, m.FragmentLengths).AsSpan().SequenceEqual(m.Message));
        });
}
