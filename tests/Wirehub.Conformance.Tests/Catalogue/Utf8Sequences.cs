using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// The byte sequences of cases 6.5 to 6.23, grouped as in the catalogue (after Markus Kuhn's UTF-8 decoder
/// capability and stress test), each marked valid or invalid UTF-8 per RFC 3629.
/// </summary>
internal static class Utf8Sequences
{
    /// <summary>"κόσμε", the Greek word of the stress test, used throughout section 6.</summary>
    public static readonly byte[] Kosme = Convert.FromHexString("CEBAE1BDB9CF83CEBCCEB5");

    public static IReadOnlyList<(string Title, IReadOnlyList<(bool Valid, byte[] Bytes)> Sequences)> Groups { get; } = Build();

    private static List<(string, IReadOnlyList<(bool, byte[])>)> Build()
    {
        var groups = new List<(string, IReadOnlyList<(bool, byte[])>)>();
        void Group(string title, params (bool, string)[] hex) =>
            groups.Add((title, hex.Select(h => (h.Item1, Convert.FromHexString(h.Item2))).ToList()));
        void Bytes(string title, IEnumerable<(bool, byte[])> sequences) => groups.Add((title, sequences.ToList()));

        Group("Some valid UTF-8 sequences",
            (true, "68656C6C6F24776F726C64"), (true, "68656C6C6FC2A2776F726C64"), (true, "68656C6C6FE282AC776F726C64"),
            (true, "68656C6C6FF0A4ADA2776F726C64"), (true, Convert.ToHexString(Kosme)));
        Bytes("All prefixes of a valid UTF-8 string that contains multi-byte code points",
            Enumerable.Range(1, Kosme.Length).Select(n => (Utf8StreamValidator.IsValid(Kosme.AsSpan(0, n)), Kosme[..n])));
        Group("First possible sequence of a certain length", (true, "00"), (true, "C280"), (true, "E0A080"), (true, "F0908080"));
        Group("First possible sequence length 5/6 (invalid codepoints)", (false, "F888808080"), (false, "FC8480808080"));
        Group("Last possible sequence of a certain length", (true, "7F"), (true, "DFBF"), (true, "EFBFBF"), (true, "F48FBFBF"));
        Group("Last possible sequence length 4/5/6 (invalid codepoints)", (false, "F7BFBFBF"), (false, "FBBFBFBFBF"), (false, "FDBFBFBFBFBF"));
        Group("Other boundary conditions", (true, "ED9FBF"), (true, "EE8080"), (true, "EFBFBD"), (true, "F48FBFBF"), (false, "F4908080"));
        Bytes("Unexpected continuation bytes", new[] { "80", "BF", "80BF", "80BF80", "80BF80BF", "80BF80BF80", "80BF80BF80BF" }
            .Select(h => (false, Convert.FromHexString(h)))
            .Append((false, Enumerable.Range(0x80, 0xBF - 0x80).Select(b => (byte)b).ToArray())));
        // Each lead byte of a range (upper bound excluded, as in the original) followed by a space.
        Bytes("Lonely start characters", new[] { (0xC0, 0xDF), (0xE0, 0xEF), (0xF0, 0xF7), (0xF8, 0xFB), (0xFC, 0xFD) }
            .Select(r => (false, Enumerable.Range(r.Item1, r.Item2 - r.Item1).SelectMany(b => new[] { (byte)b, (byte)0x20 }).ToArray())));
        string[] truncated = ["C0", "E080", "F08080", "F8808080", "FC80808080", "DF", "EFBF", "F7BFBF", "FBBFBFBF", "FDBFBFBFBF"];
        Bytes("Sequences with last continuation byte missing", truncated.Select(h => (false, Convert.FromHexString(h))));
        Group("Concatenation of incomplete sequences", (false, string.Concat(truncated)));
        Group("Impossible bytes", (false, "FE"), (false, "FF"), (false, "FEFEFFFF"));
        Group("Examples of an overlong ASCII character", (false, "C0AF"), (false, "E080AF"), (false, "F08080AF"), (false, "F8808080AF"), (false, "FC80808080AF"));
        Group("Maximum overlong sequences", (false, "C1BF"), (false, "E09FBF"), (false, "F08FBFBF"), (false, "F887BFBFBF"), (false, "FC83BFBFBFBF"));
        Group("Overlong representation of the NUL character", (false, "C080"), (false, "E08080"), (false, "F0808080"), (false, "F880808080"), (false, "FC8080808080"));
        Group("Single UTF-16 surrogates", (false, "EDA080"), (false, "EDADBF"), (false, "EDAE80"), (false, "EDAFBF"), (false, "EDB080"), (false, "EDBE80"), (false, "EDBFBF"));
        Group("Paired UTF-16 surrogates",
            (false, "EDA080EDB080"), (false, "EDA080EDBFBF"), (false, "EDADBFEDB080"), (false, "EDADBFEDBFBF"),
            (false, "EDAE80EDB080"), (false, "EDAE80EDBFBF"), (false, "EDAFBFEDB080"), (false, "EDAFBFEDBFBF"));
        Bytes("Non-character code points (valid UTF-8)", NonCharacters().Select(b => (true, b)));
        Group("Unicode specials (i.e. replacement char)",
            (true, "EFBFB9"), (true, "EFBFBA"), (true, "EFBFBB"), (true, "EFBFBC"), (true, "EFBFBD"), (true, "EFBFBE"), (true, "EFBFBF"));
        return groups;
    }

    /// <summary>U+FFFE, U+FFFF and the last two code points of planes 1-16: noncharacters, but well-formed UTF-8.</summary>
    private static IEnumerable<byte[]> NonCharacters()
    {
        yield return [0xEF, 0xBF, 0xBE];
        yield return [0xEF, 0xBF, 0xBF];
        foreach (byte lead in new byte[] { 0xF0, 0xF1, 0xF2, 0xF3, 0xF4 })
        foreach (byte second in new byte[] { 0x8F, 0x9F, 0xAF, 0xBF })
        {
            if (lead == 0xF4 && second != 0x8F) continue; // beyond U+10FFFF
            foreach (byte last in new byte[] { 0xBE, 0xBF })
            {
                if (lead == 0xF0 && second == 0x8F) continue; // overlong forms, not code points of planes 1-16
                yield return [lead, second, 0xBF, last];
            }
        }
    }
}
