using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Wirehub.Protocol.Tests.Utf8;

public class Utf8ValidatorPropertyTests
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // One byte from each range that Table 3-7 of the Unicode Standard treats differently after a lead byte.
    private static readonly byte[] ContinuationSamples = [0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF];

    public static class Utf8Inputs
    {
        // Mostly well-formed characters of every length, seasoned with bytes that trip validators.
        private static Gen<byte[]> Piece() => Gen.Frequency(
            (6, Gen.Choose(0, 0x10FFFF).Where(c => c is < 0xD800 or > 0xDFFF)
                .Select(c => Encoding.UTF8.GetBytes(char.ConvertFromUtf32(c)))),
            (3, Gen.Choose(0x20, 0x7E).Select(c => new[] { (byte)c })),
            (2, Gen.Elements<byte>(0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF)
                .Select(b => new[] { b })),
            (1, Gen.Choose(0, 255).Select(b => new[] { (byte)b })));

        public static Arbitrary<byte[]> Arbitrary() =>
            Gen.Sized(size => Gen.ListOf(Piece(), size))
                .Select(pieces => pieces.SelectMany(p => p).ToArray())
                .ToArbitrary();
    }

    private static bool StrictlyValid(ReadOnlySpan<byte> data)
    {
        try
        {
            Strict.GetCharCount(data);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    // A prefix of some valid text: valid itself, or made valid by at most 3 more continuation bytes.
    private static bool IsValidPrefix(byte[] data)
    {
        if (StrictlyValid(data))
        {
            return true;
        }

        foreach (byte a in ContinuationSamples)
        {
            if (StrictlyValid([.. data, a]))
            {
                return true;
            }

            foreach (byte b in ContinuationSamples)
            {
                if (StrictlyValid([.. data, a, b]) || ContinuationSamples.Any(c => StrictlyValid([.. data, a, b, c])))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static int[] Cuts(int[] cuts, int length) => [.. cuts.Select(c => (int)((uint)c % (uint)(length + 1))).Order()];

    [Property(Arbitrary = [typeof(Utf8Inputs)])]
    public void IsValid_agrees_with_a_strict_decoder(byte[] data)
    {
        Assert.Equal(StrictlyValid(data), Utf8Validator.IsValid(data));
    }

    [Property(Arbitrary = [typeof(Utf8Inputs)])]
    public void Validator_fed_in_arbitrary_fragments_agrees_with_a_strict_decoder(byte[] data, int[] cuts)
    {
        var validator = new Utf8Validator();
        int start = 0;
        bool passed = true;
        foreach (int cut in Cuts(cuts, data.Length).Append(data.Length))
        {
            passed &= validator.TryAppend(data.AsSpan(start, cut - start));
            start = cut;
        }

        Assert.Equal(StrictlyValid(data), passed && validator.IsComplete);
    }

    [Property(Arbitrary = [typeof(Utf8Inputs)], MaxTest = 200)]
    public void Each_fragment_fails_exactly_when_the_text_so_far_can_no_longer_become_valid(byte[] data, int[] cuts)
    {
        var validator = new Utf8Validator();
        int start = 0;
        foreach (int cut in Cuts(cuts, data.Length).Append(data.Length))
        {
            bool passed = validator.TryAppend(data.AsSpan(start, cut - start));
            start = cut;

            Assert.Equal(IsValidPrefix(data[..cut]), passed);
        }
    }
}
