using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.HarnessTests;

public sealed class PayloadMaskerTests
{
    private static readonly byte[] Key = [0x37, 0xFA, 0x21, 0x3D];

    public static TheoryData<int, int> LengthsAndOffsets()
    {
        var data = new TheoryData<int, int>();
        foreach (int length in new[] { 0, 1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000, 65537 })
            for (int offset = 0; offset < 4; offset++)
                data.Add(length, offset);
        return data;
    }

    [Theory, MemberData(nameof(LengthsAndOffsets))]
    public void Masking_equals_the_byte_wise_definition_of_RFC_6455_section_5_3(int length, int offset)
    {
        var payload = Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3)).ToArray();
        var expected = payload.Select((b, i) => (byte)(b ^ Key[(i + offset) % 4])).ToArray();

        PayloadMasker.Apply(payload, Key, offset);

        Assert.Equal(expected, payload);
    }

    [Fact]
    public void Masking_a_frame_in_pieces_equals_masking_it_whole()
    {
        var whole = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var pieces = whole.ToArray();
        PayloadMasker.Apply(whole, Key);

        PayloadMasker.Apply(pieces.AsSpan(0, 11), Key, 0);
        PayloadMasker.Apply(pieces.AsSpan(11, 502), Key, 11);
        PayloadMasker.Apply(pieces.AsSpan(513), Key, 513);

        Assert.Equal(whole, pieces);
    }
}
