using System.Buffers;
using System.Text;
using Wirehub.Protocol.Tests.Frames;

namespace Wirehub.Protocol.Tests.Utf8;

public class Utf8ValidatorTests
{
    // ASCII, 2-, 3- and 4-byte characters, and the highest code point.
    private static readonly byte[] MixedText = Encoding.UTF8.GetBytes("Hello-µ@ßöäüàá-UTF-8!! κόσμε €𝄞中文 \U0010FFFF end");

    private static bool IsCharacterBoundary(byte[] data, int index) => index == data.Length || (data[index] & 0xC0) != 0x80;

    private static bool[] AppendEach(params string[] hexFragments)
    {
        var validator = new Utf8Validator();
        return [.. hexFragments.Select(hex => validator.TryAppend(Convert.FromHexString(hex)))];
    }

    [Fact]
    public void Valid_multibyte_text_passes_when_split_at_every_point()
    {
        for (int split = 0; split <= MixedText.Length; split++)
        {
            var validator = new Utf8Validator();

            Assert.True(validator.TryAppend(MixedText.AsSpan(0, split)), $"first part, split at {split}");
            Assert.Equal(IsCharacterBoundary(MixedText, split), validator.IsComplete);
            Assert.True(validator.TryAppend(MixedText.AsSpan(split)), $"second part, split at {split}");
            Assert.True(validator.IsComplete, $"split at {split}");
        }
    }

    [Fact]
    public void Valid_multibyte_text_passes_when_split_at_every_pair_of_points()
    {
        for (int first = 0; first <= MixedText.Length; first++)
        {
            for (int second = first; second <= MixedText.Length; second++)
            {
                var validator = new Utf8Validator();

                bool passed = validator.TryAppend(MixedText.AsSpan(0, first))
                    && validator.TryAppend(MixedText.AsSpan(first, second - first))
                    && validator.TryAppend(MixedText.AsSpan(second));

                Assert.True(passed && validator.IsComplete, $"splits at {first} and {second}");
            }
        }
    }

    [Fact]
    public void Valid_multibyte_text_passes_one_byte_at_a_time()
    {
        var validator = new Utf8Validator();
        for (int i = 0; i < MixedText.Length; i++)
        {
            Assert.True(validator.TryAppend(MixedText.AsSpan(i, 1)), $"byte {i}");
            Assert.Equal(IsCharacterBoundary(MixedText, i + 1), validator.IsComplete);
        }
    }

    [Fact]
    public void Empty_fragment_keeps_a_pending_character_pending()
    {
        var validator = new Utf8Validator();

        Assert.True(validator.TryAppend(Convert.FromHexString("e282")));
        Assert.True(validator.TryAppend([]));
        Assert.False(validator.IsComplete);
        Assert.True(validator.TryAppend(Convert.FromHexString("ac")));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void Message_ending_inside_a_character_is_not_complete()
    {
        var validator = new Utf8Validator();

        Assert.True(validator.TryAppend(Convert.FromHexString("41f09f98")));
        Assert.False(validator.IsComplete);
    }

    [Theory]
    [InlineData("41c0", "overlong 2-byte lead")]
    [InlineData("41c1", "overlong 2-byte lead")]
    [InlineData("41e080", "overlong 3-byte form")]
    [InlineData("41f08f", "overlong 4-byte form")]
    [InlineData("41eda0", "surrogate")]
    [InlineData("41edbf", "surrogate")]
    [InlineData("41f490", "above U+10FFFF")]
    [InlineData("41f5", "above U+10FFFF")]
    [InlineData("41ff", "impossible byte")]
    [InlineData("4180", "stray continuation")]
    [InlineData("41bf", "stray continuation")]
    public void Partial_sequence_that_can_never_be_valid_fails_in_the_fragment_that_ends_with_it(string hex, string why)
    {
        Assert.True(why.Length > 0);
        Assert.Equal([true, false], AppendEach("6869", hex));
    }

    [Theory]
    [InlineData("c2", "41")]
    [InlineData("e282", "41")]
    [InlineData("f09f98", "41")]
    [InlineData("f09f", "c2a9")]
    [InlineData("e2", "e282ac")]
    public void Truncated_sequence_fails_in_the_fragment_whose_next_byte_is_not_a_continuation(string first, string second)
    {
        Assert.Equal([true, true, false], AppendEach("6869", first, second));
    }

    [Theory]
    [InlineData("e0", "80")]
    [InlineData("ed", "a0")]
    [InlineData("f0", "8f")]
    [InlineData("f4", "90")]
    [InlineData("f48f", "c0")]
    public void Invalid_second_byte_fails_in_the_fragment_that_carries_it(string first, string second)
    {
        Assert.Equal([true, false], AppendEach(first, second));
    }

    [Theory]
    [InlineData("c3", "a9")]
    [InlineData("e0", "a080")]
    [InlineData("ed9f", "bf")]
    [InlineData("f0", "9080", "80")]
    [InlineData("f48f", "bfbf")]
    public void Boundary_characters_split_across_fragments_pass(params string[] fragments)
    {
        var validator = new Utf8Validator();

        Assert.All(fragments, hex => Assert.True(validator.TryAppend(Convert.FromHexString(hex))));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void Invalid_byte_deep_inside_a_fragment_fails_it()
    {
        byte[] data = [.. MixedText, 0xC0, 0xAF, .. MixedText];

        Assert.False(new Utf8Validator().TryAppend(data));
    }

    [Fact]
    public void After_a_failure_every_fragment_fails_until_reset()
    {
        var validator = new Utf8Validator();
        Assert.False(validator.TryAppend([0xFF]));

        Assert.False(validator.TryAppend("ok"u8));
        Assert.False(validator.IsComplete);

        validator.Reset();
        Assert.True(validator.TryAppend("ok"u8));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void Reset_forgets_a_pending_partial_character()
    {
        var validator = new Utf8Validator();
        validator.TryAppend([0xE2, 0x82]);

        validator.Reset();

        Assert.True(validator.IsComplete);
        Assert.False(validator.TryAppend([0xAC]));
    }

    [Fact]
    public void Segmented_sequence_with_characters_cut_between_segments_passes()
    {
        ReadOnlySequence<byte> sequence = SegmentedSequence.Split(MixedText, [1, 17, 18, 18, 33, 34, 35, 41, 50]);
        var validator = new Utf8Validator();

        Assert.True(validator.TryAppend(sequence));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void Segmented_sequence_with_a_surrogate_cut_between_segments_fails()
    {
        ReadOnlySequence<byte> sequence = SegmentedSequence.Create([0x61, 0xED], [0xA0, 0x80], [0x62]);

        Assert.False(new Utf8Validator().TryAppend(sequence));
    }

    [Fact]
    public void Single_segment_sequence_is_validated()
    {
        Assert.False(new Utf8Validator().TryAppend(new ReadOnlySequence<byte>([0x61, 0xF8])));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public void Large_ASCII_and_mixed_inputs_pass(int length)
    {
        byte[] ascii = [.. Enumerable.Range(0, length).Select(i => (byte)(32 + (i % 95)))];
        byte[] mixed = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("abc κόσμε € 𝄞 ", length / 16)));

        Assert.True(Utf8Validator.IsValid(ascii));
        Assert.True(new Utf8Validator().TryAppend(ascii));
        var validator = new Utf8Validator();
        Assert.True(validator.TryAppend(mixed.AsSpan(0, mixed.Length / 2 + 1)) && validator.TryAppend(mixed.AsSpan(mixed.Length / 2 + 1)));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void Large_input_with_one_surrogate_near_the_end_fails()
    {
        byte[] data = new byte[1 << 20];
        data.AsSpan().Fill((byte)'a');
        data[^5] = 0xED;
        data[^4] = 0xB0;
        data[^3] = 0x80;

        Assert.False(Utf8Validator.IsValid(data));
        Assert.False(new Utf8Validator().TryAppend(data));
    }
}
