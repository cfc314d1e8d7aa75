using System.Text;
using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.HarnessTests;

public sealed class Utf8StreamValidatorTests
{
    private static readonly UTF8Encoding StrictDecoder = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool StrictlyValid(byte[] bytes)
    {
        try
        {
            StrictDecoder.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public static TheoryData<string> CatalogueSequences()
    {
        // The catalogue repeats some sequences across groups; each distinct one is one case.
        var data = new TheoryData<string>();
        foreach (var hex in Utf8Sequences.Groups.SelectMany(g => g.Sequences).Select(s => Convert.ToHexString(s.Bytes)).Distinct())
            data.Add(hex);
        return data;
    }

    [Theory, MemberData(nameof(CatalogueSequences))]
    public void Agrees_with_a_strict_decoder_on_every_section_6_sequence(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Equal(StrictlyValid(bytes), Utf8StreamValidator.IsValid(bytes));
    }

    [Fact]
    public void Catalogue_marks_a_sequence_valid_exactly_when_a_strict_decoder_accepts_it()
    {
        foreach (var (title, sequences) in Utf8Sequences.Groups)
            foreach (var (valid, bytes) in sequences)
                Assert.True(valid == StrictlyValid(bytes), $"{title}: 0x{Convert.ToHexString(bytes)} is marked {(valid ? "valid" : "invalid")}");
    }

    [Fact]
    public void Valid_text_is_accepted_when_split_at_every_byte()
    {
        var text = Encoding.UTF8.GetBytes("Hello-µ@ßöäüàá-UTF-8!! κόσμε 𝄞 €");
        for (int split = 0; split <= text.Length; split++)
        {
            var validator = new Utf8StreamValidator();
            Assert.True(validator.Feed(text.AsSpan(0, split)) && validator.Feed(text.AsSpan(split)) && validator.IsComplete, $"split at {split}");
        }
    }

    [Fact]
    public void Input_ending_inside_a_code_point_is_valid_so_far_but_not_complete()
    {
        var validator = new Utf8StreamValidator();

        Assert.True(validator.Feed([0xCE, 0xBA, 0xE1, 0xBD]));
        Assert.False(validator.IsComplete);
    }

    [Fact]
    public void Code_point_beyond_U_10FFFF_fails_at_its_second_byte_in_a_later_chunk()
    {
        var validator = new Utf8StreamValidator();
        Assert.True(validator.Feed(Utf8Sequences.Kosme));
        Assert.True(validator.Feed([0xF4]));

        Assert.False(validator.Feed([0x90, 0x80, 0x80]));
        Assert.Equal(12, validator.Position);
    }

    [Fact]
    public void Surrogate_fails_at_its_second_byte()
    {
        var validator = new Utf8StreamValidator();

        Assert.False(validator.Feed([0x61, 0xED, 0xA0, 0x80]));
        Assert.Equal(2, validator.Position);
    }
}
