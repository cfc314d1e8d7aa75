namespace Wirehub.Protocol.Tests.Utf8;

/// <summary>The UTF-8 sequences of the Autobahn test suite, section 6, fed one byte per fragment.</summary>
public class Utf8ValidatorAutobahnTests
{
    // Index of the first byte whose TryAppend fails, feeding one byte at a time; -1 if every byte passes.
    private static int FirstFailingByte(byte[] data, out bool complete)
    {
        var validator = new Utf8Validator();
        for (int i = 0; i < data.Length; i++)
        {
            if (!validator.TryAppend(data.AsSpan(i, 1)))
            {
                complete = false;
                return i;
            }
        }

        complete = validator.IsComplete;
        return -1;
    }

    [Theory]
    [InlineData("", "6.1 empty")]
    [InlineData("48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121", "6.2 Hello-µ@ßöäüàá-UTF-8!!")]
    [InlineData("cebae1bdb9cf83cebcceb5", "6.5 κόσμε")]
    [InlineData("00", "6.7 first 1-byte character U+0000")]
    [InlineData("c280", "6.7 first 2-byte character U+0080")]
    [InlineData("e0a080", "6.7 first 3-byte character U+0800")]
    [InlineData("f0908080", "6.7 first 4-byte character U+10000")]
    [InlineData("7f", "6.9 last 1-byte character U+007F")]
    [InlineData("dfbf", "6.9 last 2-byte character U+07FF")]
    [InlineData("efbfbf", "6.9 last 3-byte character U+FFFF")]
    [InlineData("f48fbfbf", "6.9 U+10FFFF, the highest code point")]
    [InlineData("ed9fbf", "6.11 U+D7FF, just below the surrogates")]
    [InlineData("ee8080", "6.11 U+E000, just above the surrogates")]
    [InlineData("efbfbd", "6.11 U+FFFD replacement character")]
    [InlineData("efbfbe", "6.22 noncharacter U+FFFE")]
    [InlineData("f09fbfbe", "6.22 noncharacter U+1FFFE")]
    [InlineData("f48fbfbe", "6.22 noncharacter U+10FFFE")]
    [InlineData("efb790", "6.22 noncharacter U+FDD0")]
    public void Valid_sequence_passes(string hex, string autobahnCase)
    {
        byte[] data = Convert.FromHexString(hex);

        Assert.True(Utf8Validator.IsValid(data), autobahnCase);
        Assert.Equal(-1, FirstFailingByte(data, out bool complete));
        Assert.True(complete, autobahnCase);
    }

    [Theory]
    [InlineData("cebae1bdb9cf83cebcceb5eda080656469746564", 12, "6.3 κόσμε-edited, with a surrogate")]
    [InlineData("cebae1bdb9cf83cebcceb5f4908080656469746564", 12, "6.4 κόσμε then U+110000")]
    [InlineData("f4908080", 1, "6.11 U+110000, one above the highest code point")]
    [InlineData("f7bfbfbf", 0, "6.10 U+1FFFFF in 4 bytes")]
    [InlineData("f888808080", 0, "6.8 first 5-byte form")]
    [InlineData("fc8480808080", 0, "6.8 first 6-byte form")]
    [InlineData("fbbfbfbfbf", 0, "6.10 last 5-byte form")]
    [InlineData("fdbfbfbfbfbf", 0, "6.10 last 6-byte form")]
    [InlineData("80", 0, "6.12 stray first continuation byte")]
    [InlineData("bf", 0, "6.12 stray last continuation byte")]
    [InlineData("80bf80bf", 0, "6.12 run of continuation bytes")]
    [InlineData("c020", 0, "6.13 lonely C0 start byte")]
    [InlineData("c220", 1, "6.13 lonely 2-byte start followed by a space")]
    [InlineData("e020", 1, "6.13 lonely 3-byte start followed by a space")]
    [InlineData("f020", 1, "6.13 lonely 4-byte start followed by a space")]
    [InlineData("f820", 0, "6.13 lonely 5-byte start")]
    [InlineData("fc20", 0, "6.13 lonely 6-byte start")]
    [InlineData("e080", 1, "6.14 3-byte overlong with last byte missing")]
    [InlineData("f08080", 1, "6.14 4-byte overlong with last byte missing")]
    [InlineData("f7bfbf", 0, "6.14 above U+10FFFF with last byte missing")]
    [InlineData("fe", 0, "6.16 impossible byte FE")]
    [InlineData("ff", 0, "6.16 impossible byte FF")]
    [InlineData("fefeffff", 0, "6.16 impossible bytes")]
    [InlineData("c0af", 0, "6.17 overlong slash, 2 bytes")]
    [InlineData("e080af", 1, "6.17 overlong slash, 3 bytes")]
    [InlineData("f08080af", 1, "6.17 overlong slash, 4 bytes")]
    [InlineData("f8808080af", 0, "6.17 overlong slash, 5 bytes")]
    [InlineData("fc80808080af", 0, "6.17 overlong slash, 6 bytes")]
    [InlineData("c1bf", 0, "6.18 maximum overlong, 2 bytes")]
    [InlineData("e09fbf", 1, "6.18 maximum overlong, 3 bytes")]
    [InlineData("f08fbfbf", 1, "6.18 maximum overlong, 4 bytes")]
    [InlineData("c080", 0, "6.19 overlong NUL, 2 bytes")]
    [InlineData("e08080", 1, "6.19 overlong NUL, 3 bytes")]
    [InlineData("f0808080", 1, "6.19 overlong NUL, 4 bytes")]
    [InlineData("eda080", 1, "6.20 single surrogate U+D800")]
    [InlineData("edadbf", 1, "6.20 single surrogate U+DB7F")]
    [InlineData("edae80", 1, "6.20 single surrogate U+DB80")]
    [InlineData("edafbf", 1, "6.20 single surrogate U+DBFF")]
    [InlineData("edb080", 1, "6.20 single surrogate U+DC00")]
    [InlineData("edbe80", 1, "6.20 single surrogate U+DF80")]
    [InlineData("edbfbf", 1, "6.20 single surrogate U+DFFF")]
    [InlineData("eda080edb080", 1, "6.21 surrogate pair U+D800 U+DC00")]
    [InlineData("edafbfedbfbf", 1, "6.21 surrogate pair U+DBFF U+DFFF")]
    public void Invalid_sequence_fails_at_the_first_byte_that_makes_it_invalid(string hex, int failingByte, string autobahnCase)
    {
        byte[] data = Convert.FromHexString(hex);

        Assert.False(Utf8Validator.IsValid(data), autobahnCase);
        Assert.False(new Utf8Validator().TryAppend(data), autobahnCase);
        Assert.Equal(failingByte, FirstFailingByte(data, out _));
    }

    [Theory]
    [InlineData("df", "6.14 2-byte character with last byte missing")]
    [InlineData("efbf", "6.14 3-byte character with last byte missing")]
    [InlineData("f48fbf", "6.14 4-byte character with last byte missing")]
    public void Sequence_missing_its_last_byte_passes_each_fragment_but_is_not_complete(string hex, string autobahnCase)
    {
        byte[] data = Convert.FromHexString(hex);

        Assert.Equal(-1, FirstFailingByte(data, out bool complete));
        Assert.False(complete, autobahnCase);
        Assert.False(Utf8Validator.IsValid(data));
    }

    [Theory]
    [InlineData(new[] { "cebae1bdb9cf83cebcceb5", "f4908080", "656469746564" }, 1)]
    [InlineData(new[] { "cebae1bdb9cf83cebcceb5f4", "90", "8080656469746564" }, 1)]
    [InlineData(new[] { "cebae1bdb9cf83cebcceb5ed", "a080", "656469746564" }, 1)]
    public void Autobahn_6_4_fragmented_invalid_text_fails_fast_in_the_fragment_with_the_bad_byte(string[] fragments, int failing)
    {
        var validator = new Utf8Validator();

        int firstFailure = Array.FindIndex(fragments, hex => !validator.TryAppend(Convert.FromHexString(hex)));

        Assert.Equal(failing, firstFailure);
    }
}
